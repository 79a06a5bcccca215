package dev.ccp.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogoutTest extends ClientFixture {

    @Test
    void logoutRevokesOnTheServerThenDeletesCredentialsAndPackButKeepsPins() {
        login(client());

        LogoutResult result = client().logout();

        assertThat(result).isEqualTo(new LogoutResult(true, true, null));
        assertThat(server.revoked).containsExactly("rt-1");
        assertThat(home.resolve("credentials.json")).doesNotExist();
        assertThat(home.resolve("license.jws")).doesNotExist();
        assertThat(home.resolve("pins.json")).exists();
    }

    @Test
    void unreachableServerStillDeletesLocalFilesAndSaysRevocationFailed() {
        login(client());
        server.close();

        LogoutResult result = client().logout();

        assertThat(result.wasLoggedIn()).isTrue();
        assertThat(result.revoked()).isFalse();
        assertThat(result.detail()).contains("127.0.0.1");
        assertThat(home.resolve("credentials.json")).doesNotExist();
        assertThat(home.resolve("license.jws")).doesNotExist();
    }

    @Test
    void logoutWhenNotLoggedInChangesNothing() {
        assertThat(client().logout()).isEqualTo(new LogoutResult(false, false, null));
        assertThat(server.requests).isEmpty();
    }
}
