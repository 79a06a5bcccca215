package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogoutCommandTest extends CliFixture {

    @Test
    void logoutRevokesAndDeletesLocalFiles() {
        login();

        Run run = ccp("logout");

        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).containsExactly("✓ Logged out");
        assertThat(server.revoked).containsExactly("rt-1");
        assertThat(home.resolve("credentials.json")).doesNotExist();
        assertThat(home.resolve("license.jws")).doesNotExist();
        assertThat(ccp("status").exit()).isEqualTo(3);
    }

    @Test
    void logoutWithTheServerDownDeletesLocallyAndExitsFive() {
        login();
        server.close();

        Run run = ccp("logout");

        assertThat(run.exit()).isEqualTo(5);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).startsWith("ccp: logged out on this machine, but the session could not be revoked on the server");
        assertThat(home.resolve("credentials.json")).doesNotExist();
    }

    @Test
    void logoutWhenNotLoggedInIsFine() {
        Run run = ccp("logout");

        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).containsExactly("Not logged in; nothing to do.");
    }
}
