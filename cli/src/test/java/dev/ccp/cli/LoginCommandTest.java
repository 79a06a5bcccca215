package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.sdk.testing.FakeCcpServer;
import dev.ccp.spi.license.Ed25519Key;
import dev.ccp.spi.license.LicenseVectors;
import dev.ccp.spi.policy.PolicyVectors;
import dev.ccp.spi.wire.OAuthError;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoginCommandTest extends CliFixture {

    @Test
    void loginShowsTheCodeWaitsAndSaysWhoLoggedIn() {
        server.pollScript.add(OAuthError.AUTHORIZATION_PENDING);

        Run run = login();

        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines()).containsExactly(
                "! First copy your one-time code: " + FakeCcpServer.USER_CODE,
                "Open this URL in your browser: " + server.uri() + "/device",
                "  (or open " + server.uri() + "/device?user_code=" + FakeCcpServer.USER_CODE + " to skip typing the code)",
                "Waiting for approval…",
                "! Pinned the server's signing keys (first login to this server); compare them with what the server's operator publishes:",
                "  license-test " + LicenseVectors.KEY.fingerprint(),
                "  policy-test " + PolicyVectors.KEY.fingerprint(),
                "✓ Logged in as alice@example.com to org acme (plan pro)");
        assertThat(sleeper.seconds()).containsExactly(5L, 5L);
        assertThat(opened).isEmpty();
    }

    @Test
    void loginOpensTheServersOwnPageInTheBrowser() {
        Run run = ccp("login");

        assertThat(run.exit()).isZero();
        assertThat(opened).containsExactly(URI.create(server.uri() + "/device?user_code=" + FakeCcpServer.USER_CODE));
        assertThat(run.outLines()).contains("Opened your browser.");
    }

    @Test
    void anInviteLinkIsFilledInOnThePageTheBrowserOpens() {
        Run run = ccp("login", "--invite", "http://server.example/invite/tok_123");

        URI page = URI.create(server.uri() + "/device?user_code=" + FakeCcpServer.USER_CODE + "&invite=http%3A%2F%2Fserver.example%2Finvite%2Ftok_123");
        assertThat(run.exit()).isZero();
        assertThat(opened).containsExactly(page);
        assertThat(run.outLines()).contains("  With your invite: " + page);
    }

    @Test
    void aLinkOffTheServersOriginIsShownButNeverOpened() {
        server.verificationUri = "file:///etc/passwd";
        server.verificationUriComplete = "https://evil.example/device?user_code=" + FakeCcpServer.USER_CODE;

        Run run = ccp("login");

        assertThat(opened).isEmpty();
        assertThat(run.outLines()).contains(
                "Open this URL in your browser: file:///etc/passwd",
                "! Not opening a browser: the server sent a link that is not an http(s) page on " + server.uri()
                        + "; check it before you open it")
                .doesNotContain("Opened your browser.");
    }

    @Test
    void fingerprintsAreShownOnlyTheFirstTime() {
        login();

        Run again = login();

        assertThat(again.out()).doesNotContain("Pinned");
    }

    @Test
    void serverOptionWinsOverNoEnvironment() {
        Map<String, String> env = env();
        env.remove("CCP_SERVER");

        Run run = ccp(env, "login", "--no-browser", "--server", server.uri().toString(), "--org", "acme");

        assertThat(run.exit()).isZero();
        assertThat(server.forms.get(0)).containsEntry("org", "acme");
    }

    @Test
    void withoutAnyServerLoginIsAUsageError() {
        Map<String, String> env = env();
        env.remove("CCP_SERVER");

        Run run = ccp(env, "login", "--no-browser");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("ccp: no server — pass --server URL or set CCP_SERVER");
        assertThat(server.requests).isEmpty();
    }

    @Test
    void deniedLoginExitsSeven() {
        server.pollScript.add(OAuthError.ACCESS_DENIED);

        Run run = login();

        assertThat(run.exit()).isEqualTo(7);
        assertThat(run.errLines()).containsExactly("ccp: the login was denied — run `ccp login` to try again");
    }

    @Test
    void expiredCodeExitsSeven() {
        server.pollScript.add(OAuthError.EXPIRED_TOKEN);

        Run run = login();

        assertThat(run.exit()).isEqualTo(7);
        assertThat(run.errLines()).containsExactly(
                "ccp: the code expired before the login was approved — run `ccp login` to try again");
    }

    @Test
    void changedKeysExitEightAndRepinAcceptsThem() {
        login();
        Ed25519Key rotated = Ed25519Key.generate("license");
        server.licenseKeys = List.of(rotated);
        server.signingKey = rotated;

        Run refused = login();
        assertThat(refused.exit()).isEqualTo(8);
        assertThat(refused.errLines()).hasSize(1);
        assertThat(refused.err()).startsWith("ccp: the license keys of " + server.uri() + " changed")
                .contains("run `ccp login --repin`");

        Run repinned = ccp("login", "--no-browser", "--repin");
        assertThat(repinned.exit()).isZero();
        assertThat(repinned.out()).contains(rotated.fingerprint());
    }

    @Test
    void unreachableServerExitsFive() {
        server.close();

        Run run = login();

        assertThat(run.exit()).isEqualTo(5);
        assertThat(run.errLines()).containsExactly("ccp: cannot connect to " + server.uri()
                + " — check the network and the server URL, then try again");
    }

    @Test
    void memberWithoutSeatIsToldToAskForOne() {
        server.noSeat = true;

        Run run = login();

        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).last().isEqualTo(
                "✓ Logged in as alice@example.com to org acme (no seat: ask an owner or admin of the org for one)");
    }
}
