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
        assertThat(run.errLines()).containsExactly("ccp: logged out on this machine, but the session could not be revoked"
                + " on the server (cannot connect to " + server.uri() + ") — it ends when its tokens expire (refresh tokens"
                + " last up to 90 days on the reference server); an owner or admin of the org can end it now by removing"
                + " you from the org");
        assertThat(run.err()).doesNotContain("ccp login");
        assertThat(home.resolve("credentials.json")).doesNotExist();
    }

    @Test
    void logoutWhenNotLoggedInIsFine() {
        Run run = ccp("logout");

        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).containsExactly("Not logged in; nothing to do.");
    }
}
