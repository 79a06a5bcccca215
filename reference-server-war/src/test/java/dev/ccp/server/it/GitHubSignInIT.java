package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.server.testing.FakeGitHub;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing in with GitHub on every page that signs people in: {@code /login} (dashboards, admin),
 * the device page (the real CLI's login), and an invite link; against a fake of GitHub's OAuth and
 * user endpoints on the port the IT server is configured with.
 */
class GitHubSignInIT extends ServerIT {

    static final int PORT = Integer.getInteger("ccp.it.github.port", 27212);
    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    static FakeGitHub github;

    @BeforeAll
    static void startGitHub() throws Exception {
        github = new FakeGitHub(PORT, "http://127.0.0.1/ccp/login/github/callback", Clock.systemUTC());
    }

    @AfterAll
    static void stopGitHub() {
        github.close();
    }

    /** A browser with JavaScript off: keeps cookies, follows redirects, posts a page's form with its CSRF field. */
    static final class Browser {
        final HttpClient client;

        Browser(boolean follow) {
            client = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                    .followRedirects(follow ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER).build();
        }

        HttpResponse<String> get(String url) throws Exception {
            return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(HttpResponse<String> page, String action, String... fields) throws Exception {
            Matcher csrf = CSRF.matcher(page.body());
            assertThat(csrf.find()).as(page.body()).isTrue();
            Map<String, String> form = new LinkedHashMap<>(Http.fields(fields));
            form.put("csrf", csrf.group(1));
            return client.send(HttpRequest.newBuilder(URI.create(action)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(Http.encode(form))).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The server's address as the tests reach it (a loopback name, which the server answers for). */
    String home;

    @org.junit.jupiter.api.BeforeEach
    void address() {
        home = http().base();
    }

    private String unique(String name) {
        return name + "-" + Long.toHexString(System.nanoTime());
    }

    @Test
    void aPersonSignsInToThePagesAsWhoGitHubSays() throws Exception {
        String handle = unique("gh-ada");
        github.signedIn = FakeGitHub.Account.of(handle, handle + "@example.com", true);
        Browser browser = new Browser(true);

        HttpResponse<String> form = browser.get(home + "login?next=/admin/members");
        assertThat(form.body()).contains("Continue with GitHub", "Trying CCP");
        assertThat(form.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("form-action 'self' " + github.web());
        HttpResponse<String> signedIn = browser.post(form, home + "login", "method", "github", "org", "", "next", "/admin/members");

        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
        assertThat(signedIn.uri().getPath()).isEqualTo("/ccp/admin/members");
        assertThat(signedIn.body()).contains("you are owner", handle + "@example.com");
        assertThat(github.requests).contains("GET /login/oauth/authorize", "POST /login/oauth/access_token", "GET /api/user/emails");
    }

    @Test
    void anUnverifiedEmailClaimsNoMembershipWaitingForIt() throws Exception {
        Http http = http();
        String ownerToken = Logins.accessToken(http, Logins.unique("gh-owner"), null);
        String org = Http.body(http.get("v1/me", ownerToken)).get("org").asText();
        String handle = unique("gh-eve");
        http.json("POST", "v1/orgs/" + org + "/members", ownerToken, "{\"login\":\"" + handle + "@example.com\",\"seat\":false}");
        github.signedIn = FakeGitHub.Account.of(handle, handle + "@example.com", false);
        Browser browser = new Browser(true);

        HttpResponse<String> refused = browser.post(browser.get(home + "login"), home + "login", "method", "github", "org", org, "next", "/admin");

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains(handle + " is not a member of org " + org);
    }

    @Test
    void aGitHubSignInClaimsTheMembershipsWaitingForItsHandleOrVerifiedEmailAndIsAuditedAsGitHub() throws Exception {
        Http http = http();
        String ownerToken = Logins.accessToken(http, Logins.unique("gh-owner"), null);
        String org = Http.body(http.get("v1/me", ownerToken)).get("org").asText();
        http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":\"team\",\"seats\":3}");
        String byHandle = unique("gh-grace");
        String byEmail = unique("gh-heidi");
        assertThat(http.json("POST", "v1/orgs/" + org + "/members", ownerToken, "{\"login\":\"" + byHandle + "\",\"role\":\"admin\"}")
                .statusCode()).isEqualTo(201);
        assertThat(http.json("POST", "v1/orgs/" + org + "/members", ownerToken, "{\"login\":\"" + byEmail + "@example.com\",\"role\":\"admin\"}")
                .statusCode()).isEqualTo(201);

        // The first is waited for by handle only (GitHub gives another email), the second by email only (another handle).
        String[][] accounts = {{byHandle, byHandle + "@elsewhere.example"}, {byEmail + "-other", byEmail + "@example.com"}};
        for (String[] account : accounts) {
            github.signedIn = FakeGitHub.Account.of(account[0], account[1], true);
            Browser browser = new Browser(true);
            HttpResponse<String> admin = browser.post(browser.get(home + "login"), home + "login", "method", "github", "org", org,
                    "next", "/admin");
            assertThat(admin.statusCode()).as(admin.body()).isEqualTo(200);
            assertThat(admin.body()).contains("org " + org, "you are admin");
        }

        JsonNode signIns = Http.body(http.get("v1/orgs/" + org + "/audit?action=session.signed_in", ownerToken)).get("entries");
        for (String[] account : accounts) {
            assertThat(signIns).filteredOn(e -> e.at("/targets/login").asText().equals(account[1])).singleElement().satisfies(e -> {
                assertThat(e.at("/details/method").asText()).isEqualTo("github");
                assertThat(e.at("/details/via").asText()).isEqualTo("web");
                assertThat(e.at("/details/role").asText()).isEqualTo("admin");
            });
        }
    }

    @Test
    void aMemberOfAnOrgThatEnforcesItsOwnProviderIsRefusedWithGitHubButTheBreakGlassOwnerGetsIn() throws Exception {
        Http http = http();
        String ownerHandle = unique("gh-glass");
        String ownerLogin = ownerHandle + "@example.com";
        String ownerToken = Logins.accessToken(http, ownerLogin, null);
        String org = Http.body(http.get("v1/me", ownerToken)).get("org").asText();
        http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":\"team\",\"seats\":3}");
        String member = unique("gh-ivan");
        assertThat(http.json("POST", "v1/orgs/" + org + "/members", ownerToken, "{\"login\":\"" + member + "\"}").statusCode()).isEqualTo(201);
        String domain = "corp-" + Long.toHexString(System.nanoTime()) + ".example";
        HttpResponse<String> enforce = http.json("PUT", "v1/orgs/" + org + "/sso", ownerToken, "{\"issuer\":\"https://idp." + domain
                + "\",\"client_id\":\"ccp\",\"client_secret\":\"a-secret\",\"domains\":[\"" + domain + "\"],\"enforced\":true,"
                + "\"break_glass\":\"" + ownerLogin + "\"}");
        assertThat(enforce.statusCode()).as(enforce.body()).isEqualTo(200);

        github.signedIn = FakeGitHub.Account.of(member, member + "@example.com", true);
        Browser refused = new Browser(true);
        HttpResponse<String> page = refused.post(refused.get(home + "login"), home + "login", "method", "github", "org", org, "next", "/admin");
        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).contains("org " + org + " signs its members in through its own identity provider only",
                "Continue with SSO");
        assertThat(page.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("ccp_session="));

        String link = Http.body(http.json("POST", "v1/orgs/" + org + "/invites", ownerToken, "{}")).get("url").asText();
        github.signedIn = FakeGitHub.Account.of(unique("gh-judy"), unique("judy") + "@example.com", true);
        Browser invited = new Browser(true);
        HttpResponse<String> byInvite = invited.post(invited.get(link), link, "method", "github");
        assertThat(byInvite.statusCode()).as("an invite is no way around it").isEqualTo(403);
        assertThat(byInvite.body()).contains("signs its members in through its own identity provider only", "Open your invite link again");
        assertThat(invited.get(link).body()).as("the invite is still open").contains("You are invited to join");

        github.signedIn = FakeGitHub.Account.of(ownerHandle, ownerLogin, true);
        Browser glass = new Browser(true);
        HttpResponse<String> admin = glass.post(glass.get(home + "login"), home + "login", "method", "github", "org", org, "next", "/admin");
        assertThat(admin.statusCode()).as(admin.body()).isEqualTo(200);
        assertThat(admin.body()).contains("org " + org, "you are owner");
    }

    @Test
    void aCallbackThisBrowserDidNotBeginOrOneFinishedAlreadyIsRefused() throws Exception {
        github.signedIn = FakeGitHub.Account.of(unique("gh-mallory"), "mallory@example.com", true);
        Browser browser = new Browser(false);
        HttpResponse<String> toGitHub = browser.post(browser.get(home + "login"), home + "login", "method", "github", "next", "/admin");
        assertThat(toGitHub.statusCode()).isEqualTo(303);
        HttpResponse<String> fromGitHub = browser.get(toGitHub.headers().firstValue("Location").orElseThrow());
        String callback = fromGitHub.headers().firstValue("Location").orElseThrow();

        HttpResponse<String> elsewhere = new Browser(false).get(callback);
        assertThat(elsewhere.statusCode()).isEqualTo(400);
        assertThat(elsewhere.body()).contains("did not begin in this browser");

        HttpResponse<String> once = browser.get(callback);
        assertThat(once.statusCode()).isEqualTo(303);
        assertThat(once.headers().firstValue("Location").orElseThrow()).endsWith("/ccp/login/finish");
        HttpResponse<String> again = browser.get(callback);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("expired or was finished already");

        github.denies = true;
        try {
            Browser denied = new Browser(true);
            HttpResponse<String> cancelled = denied.post(denied.get(home + "login"), home + "login", "method", "github", "next", "/admin");
            assertThat(cancelled.statusCode()).isEqualTo(400);
            assertThat(cancelled.body()).contains("You did not let GitHub tell this server who you are");
        } finally {
            github.denies = false;
        }
    }

    @Test
    void theCliLogsInWithGitHubOnTheDevicePage(@TempDir Path dir) throws Exception {
        String handle = unique("gh-dev");
        github.signedIn = FakeGitHub.Account.of(handle, handle + "@example.com", true);
        Browser browser = new Browser(true);
        String[] approved = new String[1];

        Cli.Result login = CliEndToEndIT.login(new Cli(dir, http().base()), (userCode, invitePage) -> {
            HttpResponse<String> page = browser.get(home + "device?user_code=" + userCode);
            HttpResponse<String> done = browser.post(page, home + "device", "user_code", userCode, "decision", "github");
            approved[0] = done.body();
            return done;
        });

        CliEndToEndIT.loggedIn(login);
        assertThat(approved[0]).contains("Approved: " + handle + "@example.com is now logged in");
        assertThat(login.out()).contains("Logged in as " + handle + "@example.com");
    }

    @Test
    void anInviteLinkIsAcceptedAfterSigningInWithGitHub() throws Exception {
        Http http = http();
        String ownerToken = Logins.accessToken(http, Logins.unique("gh-inviter"), null);
        String org = Http.body(http.get("v1/me", ownerToken)).get("org").asText();
        http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":\"team\",\"seats\":3}");
        String link = Http.body(http.json("POST", "v1/orgs/" + org + "/invites", ownerToken, "{\"role\":\"admin\"}")).get("url").asText();
        String handle = unique("gh-guest");
        github.signedIn = FakeGitHub.Account.of(handle, handle + "@example.com", true);
        Browser browser = new Browser(true);

        HttpResponse<String> page = browser.get(link);
        HttpResponse<String> joined = browser.post(page, link, "method", "github");

        assertThat(joined.statusCode()).as(joined.body()).isEqualTo(200);
        assertThat(joined.body()).contains(handle + "@example.com", "joined", org, "as admin");
        assertThat(browser.post(browser.get(home + "login"), home + "login", "method", "github", "org", org, "next", "/admin").body())
                .contains("you are admin");
    }
}
