package dev.ccp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.sdk.testing.FakeCcpServer;
import dev.ccp.spi.license.LicenseStatus;
import dev.ccp.spi.wire.OAuthError;
import java.net.URI;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class LoginTest extends ClientFixture {

    @Test
    void loginPollsWhilePendingThenStoresCredentialsAndVerifiedPack() throws Exception {
        server.pollScript.add(OAuthError.AUTHORIZATION_PENDING);
        server.pollScript.add(OAuthError.AUTHORIZATION_PENDING);

        LoginResult result = login(client());

        assertThat(result.login()).isEqualTo("alice@example.com");
        assertThat(result.org()).isEqualTo("acme");
        assertThat(result.plan()).isEqualTo("pro");
        assertThat(result.entitlements()).containsEntry("zai_offload", true);
        assertThat(result.license().status()).isEqualTo(LicenseStatus.VALID);
        assertThat(sleeper.seconds()).containsExactly(5L, 5L, 5L);
        assertThat(server.count("POST /oauth/token")).isEqualTo(3);
        assertThat(home.resolve("credentials.json")).exists();
        assertThat(home.resolve("license.jws")).exists();
        assertThat(client().account()).contains(new Account(server.uri(), "alice@example.com", "acme"));
    }

    @Test
    void loginWaitsForAServerThatIsStillStarting() {
        server.notDeployed.addAll(java.util.List.of(404, 503, 500));

        LoginResult result = login(client());

        assertThat(result.login()).isEqualTo("alice@example.com");
        assertThat(listener.unavailable).extracting(d -> d.toSeconds()).containsExactly(1L, 2L, 4L);
        assertThat(server.count("POST /oauth/device_authorization")).isEqualTo(4);
    }

    @Test
    void aServerThatNeverStartsEndsTheLoginAsUnavailable() {
        for (int i = 0; i < 40; i++) {
            server.notDeployed.add(503);
        }

        assertThatThrownBy(() -> login(client())).isInstanceOfSatisfying(CcpException.class,
                e -> assertThat(e.kind()).isEqualTo(CcpException.Kind.SERVER_UNAVAILABLE));
        assertThat(sleeper.seconds().stream().mapToLong(Long::longValue).sum()).isLessThanOrEqualTo(60);
    }

    @Test
    void listenerGetsTheCodeAndWhereToEnterIt() {
        login(client());

        DeviceCode code = listener.codes.get(0);
        assertThat(code.userCode()).isEqualTo(FakeCcpServer.USER_CODE);
        assertThat(code.verificationUri()).isEqualTo(URI.create(server.uri() + "/device"));
        assertThat(code.browserUri()).contains(URI.create(server.uri() + "/device?user_code=" + FakeCcpServer.USER_CODE));
        assertThat(code.server()).isEqualTo(server.uri());
        assertThat(code.expiresAt()).isEqualTo(clock.instant().minusSeconds(5).plusSeconds(server.codeExpiresIn));
    }

    @Test
    void linksOffTheServersOriginAreShownButNotForOpening() {
        server.verificationUri = "file:///etc/passwd";
        server.verificationUriComplete = "https://evil.example/device?user_code=" + FakeCcpServer.USER_CODE;

        login(client());

        DeviceCode code = listener.codes.get(0);
        assertThat(code.verificationUri()).isEqualTo(URI.create("file:///etc/passwd"));
        assertThat(code.browserUri()).isEmpty();
    }

    @Test
    void anOffOriginCompleteLinkFallsBackToTheServersOwnPage() {
        server.verificationUriComplete = "ccp-helper://approve?user_code=" + FakeCcpServer.USER_CODE;

        login(client());

        assertThat(listener.codes.get(0).browserUri()).contains(URI.create(server.uri() + "/device"));
    }

    @Test
    void slowDownAddsFiveSecondsToEveryLaterPoll() {
        server.pollScript.add(OAuthError.AUTHORIZATION_PENDING);
        server.pollScript.add(OAuthError.SLOW_DOWN);
        server.pollScript.add(OAuthError.AUTHORIZATION_PENDING);
        server.pollScript.add(OAuthError.SLOW_DOWN);

        login(client());

        assertThat(sleeper.seconds()).containsExactly(5L, 5L, 10L, 10L, 15L);
        assertThat(listener.waits).extracting(d -> d.toSeconds()).containsExactly(5L, 10L, 10L, 15L);
    }

    @Test
    void deniedLoginIsLoginDeniedAndStoresNothing() {
        server.pollScript.add(OAuthError.ACCESS_DENIED);

        assertThatThrownBy(() -> login(client()))
                .isInstanceOfSatisfying(CcpException.class, e -> assertThat(e.kind()).isEqualTo(CcpException.Kind.LOGIN_DENIED));
        assertThat(home.resolve("credentials.json")).doesNotExist();
    }

    @Test
    void expiredDeviceCodeIsLoginExpired() {
        server.pollScript.add(OAuthError.EXPIRED_TOKEN);

        assertThatThrownBy(() -> login(client()))
                .isInstanceOfSatisfying(CcpException.class, e -> assertThat(e.kind()).isEqualTo(CcpException.Kind.LOGIN_EXPIRED));
    }

    @Test
    void pollingStopsWhenTheCodeExpiresEvenIfTheServerKeepsSayingPending() {
        server.neverApprove = true;
        server.codeExpiresIn = 30;

        assertThatThrownBy(() -> login(client()))
                .isInstanceOfSatisfying(CcpException.class, e -> assertThat(e.kind()).isEqualTo(CcpException.Kind.LOGIN_EXPIRED));
        assertThat(sleeper.seconds()).containsOnly(5L).hasSize(6);
        assertThat(server.count("POST /oauth/token")).isEqualTo(5);
    }

    @Test
    void loginAsksForTheChosenOrg() {
        client().login("widgets", listener);

        assertThat(server.forms.get(0)).containsEntry("org", "widgets").containsEntry("client_id", "ccp-cli");
    }

    @Test
    void memberWithoutASeatStillLogsInWithoutAPack() {
        server.noSeat = true;

        LoginResult result = login(client());

        assertThat(result.plan()).isNull();
        assertThat(result.license().status()).isEqualTo(LicenseStatus.MISSING);
        assertThat(result.license().detail()).contains("no seat");
        assertThat(home.resolve("credentials.json")).exists();
        assertThat(home.resolve("license.jws")).doesNotExist();
    }

    @Test
    void loggingInAgainRevokesThePreviousSession() {
        login(client());

        login(client());

        assertThat(server.revoked).containsExactly("rt-1");
    }

    @Test
    void unreachableServerIsServerUnreachable() throws Exception {
        server.close();

        assertThatThrownBy(() -> login(client()))
                .isInstanceOfSatisfying(CcpException.class, e -> assertThat(e.kind()).isEqualTo(CcpException.Kind.SERVER_UNREACHABLE));
        assertThat(Files.list(home)).isEmpty();
    }

    @Test
    void loginWithoutAnyServerIsMisuse() {
        CcpClient noServer = CcpClient.builder().home(home).clock(clock).sleeper(sleeper).build();

        assertThatThrownBy(() -> login(noServer)).isInstanceOf(IllegalStateException.class);
    }
}
