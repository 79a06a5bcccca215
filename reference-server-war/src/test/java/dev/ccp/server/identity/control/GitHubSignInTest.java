package dev.ccp.server.identity.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.server.platform.Ids;
import dev.ccp.server.testing.FakeGitHub;
import dev.ccp.spi.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The GitHub OAuth web flow against a fake of GitHub that keeps GitHub's documented rules. */
class GitHubSignInTest {

    static final String CALLBACK = "http://127.0.0.1:8080/login/github/callback";
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    FakeGitHub github;
    GitHubSignIn signIn;
    final String verifier = Ids.secret();

    @BeforeEach
    void setUp() throws Exception {
        github = new FakeGitHub(0, CALLBACK, clock);
        signIn = new GitHubSignIn(FakeGitHub.CLIENT_ID, FakeGitHub.CLIENT_SECRET, github.web(), github.api());
    }

    @AfterEach
    void tearDown() {
        github.close();
    }

    /** What the person's browser does at GitHub: opens the authorize page and is sent back with a code. */
    private String code() throws Exception {
        URI authorize = signIn.authorize("state-1", SignInAttempts.challenge(verifier), CALLBACK);
        HttpResponse<Void> back = HttpClient.newHttpClient().send(HttpRequest.newBuilder(authorize).build(), HttpResponse.BodyHandlers.discarding());
        String location = back.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(CALLBACK + "?code=").endsWith("&state=state-1");
        return location.substring(location.indexOf("code=") + 5, location.indexOf("&state="));
    }

    @Test
    void theHandleAndTheVerifiedPrimaryEmailAreWhoThePersonIs() throws Exception {
        github.signedIn = FakeGitHub.Account.of("Octo-Cat", "Octo@Example.com", true);

        Identity identity = signIn.identify(code(), verifier, CALLBACK);

        assertThat(identity).isEqualTo(new Identity("octo@example.com", "octo-cat"));
        assertThat(github.requests).contains("POST /login/oauth/access_token", "GET /api/user", "GET /api/user/emails");
    }

    @Test
    void anUnverifiedEmailIsNotUsed() throws Exception {
        github.signedIn = new FakeGitHub.Account("octocat", 1, List.of(
                Map.of("email", "octo@example.com", "primary", true, "verified", false),
                Map.of("email", "other@example.com", "primary", false, "verified", true)));

        assertThat(signIn.identify(code(), verifier, CALLBACK)).isEqualTo(new Identity(null, "octocat"));
    }

    @Test
    void aCodeWorksOnceWithItsVerifierWithinTenMinutes() throws Exception {
        github.signedIn = FakeGitHub.Account.of("octocat", "octo@example.com", true);
        String code = code();
        signIn.identify(code, verifier, CALLBACK);

        assertThatThrownBy(() -> signIn.identify(code, verifier, CALLBACK)).isInstanceOf(SignInRefused.class)
                .hasMessageContaining("used already or expired");
        assertThatThrownBy(() -> signIn.identify(code(), Ids.secret(), CALLBACK)).hasMessageContaining("used already or expired");
        String late = code();
        clock.advance(Duration.ofMinutes(11));
        assertThatThrownBy(() -> signIn.identify(late, verifier, CALLBACK)).hasMessageContaining("used already or expired");
    }

    @Test
    void aWronglySetUpAppIsNamedForTheOperator() throws Exception {
        github.signedIn = FakeGitHub.Account.of("octocat", "octo@example.com", true);
        GitHubSignIn wrongSecret = new GitHubSignIn(FakeGitHub.CLIENT_ID, "not-the-secret", github.web(), github.api());

        assertThatThrownBy(() -> wrongSecret.identify(code(), verifier, CALLBACK)).hasMessageContaining("not set up right")
                .hasMessageContaining("incorrect_client_credentials");
        assertThatThrownBy(() -> signIn.identify(code(), verifier, "http://127.0.0.1:8080/elsewhere"))
                .hasMessageContaining("redirect_uri_mismatch");
    }

    @Test
    void gitHubOutOfReachIsSaidPlainly() {
        GitHubSignIn unreachable = new GitHubSignIn(FakeGitHub.CLIENT_ID, FakeGitHub.CLIENT_SECRET, "http://127.0.0.1:9", "http://127.0.0.1:9");

        assertThatThrownBy(() -> unreachable.identify("code", verifier, CALLBACK)).hasMessageContaining("could not be reached");
    }
}
