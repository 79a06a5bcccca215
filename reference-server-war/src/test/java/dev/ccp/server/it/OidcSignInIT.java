package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Single sign-on through an org's own OpenID provider, against a real one (the certified npm package
 * {@code oidc-provider}, see {@link OpenIdProvider}): the pages and the real CLI sign in through it;
 * an unverified email, an ID token signed with a secret rather than a key, a replayed callback, a
 * callback with another browser's state and a code used already are refused; a rotated provider key
 * is picked up; an invite link goes through it; an org that enforces it lets only its break-glass
 * owner in another way, and ends the sessions made another way when it begins to. Runs where
 * Node.js 20.12 or newer and npm are installed (CI checks that they are).
 */
class OidcSignInIT extends ServerIT {

    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    static final Pattern CONTINUE = Pattern.compile("id=\"continue\" href=\"([^\"]+)\"|href=\"([^\"]+)\" id=\"continue\"");
    static OpenIdProvider op;
    static String home;

    @BeforeAll
    static void startProvider() throws Exception {
        assumeTrue(OpenIdProvider.available(), "Node.js and npm are not installed");
    }

    @BeforeEach
    void provider() throws Exception {
        home = http().base();
        if (op == null) {
            op = OpenIdProvider.start(home + "login/oidc/callback");
        }
    }

    @AfterAll
    static void stopProvider() throws Exception {
        if (op != null) {
            op.close();
            op = null;
        }
    }

    /** A browser with JavaScript off that follows redirects itself, so a test can see where it went. */
    static final class Browser {
        final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        final List<URI> visited = new ArrayList<>();
        /** Set, the browser stops before the provider's way back to this server, and keeps it here instead. */
        boolean holdCallback;
        URI held;

        HttpResponse<String> get(String url) throws Exception {
            return follow(client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString()));
        }

        HttpResponse<String> post(URI action, Map<String, String> form) throws Exception {
            return follow(client.send(HttpRequest.newBuilder(action).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(Http.encode(form))).build(), HttpResponse.BodyHandlers.ofString()));
        }

        private HttpResponse<String> follow(HttpResponse<String> answer) throws Exception {
            visited.add(answer.uri());
            for (int hops = 0; hops < 20 && answer.statusCode() / 100 == 3; hops++) {
                URI next = answer.uri().resolve(answer.headers().firstValue("Location").orElseThrow());
                if (holdCallback && next.getPath().endsWith("/login/oidc/callback")) {
                    held = next;
                    return answer;
                }
                answer = client.send(HttpRequest.newBuilder(next).GET().build(), HttpResponse.BodyHandlers.ofString());
                visited.add(next);
            }
            return answer;
        }

        /** Posts a form of this server's page with its CSRF field. */
        HttpResponse<String> submit(HttpResponse<String> page, String action, String... fields) throws Exception {
            Matcher csrf = CSRF.matcher(page.body());
            assertThat(csrf.find()).as(page.body()).isTrue();
            Map<String, String> form = new LinkedHashMap<>(Http.fields(fields));
            form.put("csrf", csrf.group(1));
            return post(URI.create(action), form);
        }

        /**
         * Goes on from the page that leads to the provider, signs in there as {@code login} on its
         * development login page, consents, and answers the page the provider's way back ends on.
         */
        HttpResponse<String> signInAtProvider(HttpResponse<String> hop, String login) throws Exception {
            assertThat(hop.statusCode()).as(hop.body()).isEqualTo(200);
            Matcher link = CONTINUE.matcher(hop.body());
            assertThat(link.find()).as(hop.body()).isTrue();
            HttpResponse<String> page = get(Person.unescape(link.group(1) != null ? link.group(1) : link.group(2)));
            for (int step = 0; step < 4 && page.body().contains("name=\"prompt\""); step++) {
                Matcher action = Pattern.compile("action=\"([^\"]+)\"").matcher(page.body());
                Matcher prompt = Pattern.compile("name=\"prompt\" value=\"([^\"]+)\"").matcher(page.body());
                assertThat(action.find() && prompt.find()).as(page.body()).isTrue();
                Map<String, String> form = new LinkedHashMap<>();
                form.put("prompt", prompt.group(1));
                if (prompt.group(1).equals("login")) {
                    form.put("login", login);
                    form.put("password", "any");
                }
                page = post(page.uri().resolve(Person.unescape(action.group(1))), form);
            }
            return page;
        }

        /** Goes on to the way back the browser held, with {@code code} in place of the provider's, and on from there. */
        HttpResponse<String> back(String code) throws Exception {
            return get(held.resolve(held.getRawPath() + "?code=" + URLEncoder.encode(code, StandardCharsets.UTF_8)
                    + "&state=" + URLEncoder.encode(param(held, "state"), StandardCharsets.UTF_8)).toString());
        }

        URI callback() {
            return visited.stream().filter(u -> u.getPath().endsWith("/login/oidc/callback")).findFirst().orElseThrow();
        }
    }

    /** A query parameter of a URI, decoded. */
    static String param(URI uri, String name) {
        return Arrays.stream(uri.getRawQuery().split("&")).filter(p -> p.startsWith(name + "="))
                .map(p -> URLDecoder.decode(p.substring(name.length() + 1), StandardCharsets.UTF_8))
                .findFirst().orElseThrow();
    }

    /** An org whose owner set up the provider for a domain of its own, with {@code member} added. */
    private record SsoOrg(String ownerLogin, String ownerToken, String org, String domain) {
    }

    private SsoOrg ssoOrg(String client, String... members) {
        Http http = http();
        String ownerLogin = Logins.unique("sso-owner");
        String ownerToken = Logins.accessToken(http, ownerLogin, null);
        String org = Http.body(http.get("v1/me", ownerToken)).get("org").asText();
        http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":\"team\",\"seats\":5}");
        String domain = "corp-" + Long.toHexString(System.nanoTime()) + ".example";
        HttpResponse<String> set = http.json("PUT", "v1/orgs/" + org + "/sso", ownerToken, "{\"issuer\":\"" + op.issuer() + "\",\"client_id\":\""
                + client + "\",\"client_secret\":\"" + client + "-secret-long-enough-for-hmac-sha-256\",\"domains\":[\"" + domain + "\"]}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        for (String member : members) {
            http.json("POST", "v1/orgs/" + org + "/members", ownerToken, "{\"login\":\"" + member + "@" + domain + "\",\"role\":\"admin\"}");
        }
        return new SsoOrg(ownerLogin, ownerToken, org, domain);
    }

    @Test
    void aMemberSignsInToThePagesThroughTheOrgsProvider() throws Exception {
        SsoOrg sso = ssoOrg("ccp-rs256", "alice");
        Browser browser = new Browser();
        HttpResponse<String> hop = browser.submit(browser.get(home + "login"), home + "login", "method", "sso",
                "sso_email", "alice@" + sso.domain(), "org", sso.org(), "next", "/admin");
        assertThat(hop.body()).contains("Taking you to your company's sign-in page at <strong>127.0.0.1</strong>");

        HttpResponse<String> admin = browser.signInAtProvider(hop, "alice@" + sso.domain());

        assertThat(admin.statusCode()).as(admin.body()).isEqualTo(200);
        assertThat(admin.uri().getPath()).endsWith("/admin");
        assertThat(admin.body()).contains("org " + sso.org(), "you are admin");
        HttpResponse<String> replayed = browser.get(browser.callback().toString());
        assertThat(replayed.statusCode()).as("the provider's answer, sent again").isEqualTo(400);
        assertThat(replayed.body()).contains("or it is over");

        JsonNode view = Http.body(http().get("v1/orgs/" + sso.org() + "/sso", sso.ownerToken()));
        assertThat(view.get("client_secret_set").asBoolean()).isTrue();
        assertThat(view.toString()).doesNotContain("secret-long-enough");
        assertThat(view.get("callback").asText()).isEqualTo(home + "login/oidc/callback");
    }

    @Test
    void aCallbackWithAnotherBrowsersStateOrAnAuthorizationCodeUsedAlreadyIsRefused() throws Exception {
        SsoOrg sso = ssoOrg("ccp-rs256", "jane");
        String jane = "jane@" + sso.domain();
        Browser first = new Browser();
        first.holdCallback = true;
        first.signInAtProvider(first.submit(first.get(home + "login"), home + "login", "method", "sso", "sso_email", jane,
                "org", sso.org(), "next", "/admin"), jane);
        assertThat(first.held).as("where the provider sent the person back").isNotNull();
        String usedCode = param(first.held, "code");

        // Another browser, in a sign-in of its own, is sent the first one's way back (login CSRF).
        Browser other = new Browser();
        other.holdCallback = true;
        other.submit(other.get(home + "login"), home + "login", "method", "sso", "sso_email", jane, "org", sso.org(), "next", "/admin");
        HttpResponse<String> wrongState = other.get(first.held.toString());
        assertThat(wrongState.statusCode()).isEqualTo(400);
        assertThat(wrongState.body()).contains("Sign-in failed", "did not begin in this browser");

        HttpResponse<String> admin = first.back(usedCode);
        assertThat(admin.statusCode()).as("the refused way back used nothing up: " + admin.body()).isEqualTo(200);
        assertThat(admin.body()).contains("org " + sso.org(), "you are admin");

        // A fresh sign-in, in a browser of its own whose state is still waiting, sent back with the code used already
        // (a code replayed or injected): the provider refuses it, since the code is bound to the first sign-in's PKCE
        // challenge and was used. The same code with its own state is stopped here before the provider (see above).
        Browser replay = new Browser();
        replay.holdCallback = true;
        replay.signInAtProvider(replay.submit(replay.get(home + "login"), home + "login", "method", "sso", "sso_email", jane,
                "org", sso.org(), "next", "/admin"), jane);
        assertThat(replay.held).isNotNull();
        HttpResponse<String> replayed = replay.back(usedCode);
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(400);
        assertThat(replayed.body()).contains("Sign-in failed", "The identity provider refused the code exchange (400, invalid_grant)");
        assertThat(replayed.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("ccp_session="));
    }

    @Test
    void anInviteLinkRoutesATypedWorkEmailToTheOrgsProviderAndEnforcementHoldsThereToo() throws Exception {
        SsoOrg sso = ssoOrg("ccp-rs256");
        Http http = http();
        String link = Http.body(http.json("POST", "v1/orgs/" + sso.org() + "/invites", sso.ownerToken(), "{\"role\":\"admin\"}")).get("url").asText();
        String kate = "kate@" + sso.domain();
        Browser browser = new Browser();
        HttpResponse<String> page = browser.get(link);
        assertThat(page.body()).contains("Continue with SSO and join");

        HttpResponse<String> hop = browser.submit(page, link, "method", "stand-in", "login", kate);
        assertThat(hop.body()).as("a typed email of a claimed domain goes to its provider").contains("Taking you to your company's sign-in page");
        HttpResponse<String> joined = browser.signInAtProvider(hop, kate);
        assertThat(joined.statusCode()).as(joined.body()).isEqualTo(200);
        assertThat(joined.uri().getPath()).endsWith("/invite/finish");
        assertThat(joined.body()).contains(kate, "joined", sso.org(), "as admin");
        JsonNode signIns = Http.body(http.get("v1/orgs/" + sso.org() + "/audit?action=session.signed_in", sso.ownerToken())).get("entries");
        assertThat(signIns).filteredOn(e -> e.at("/targets/login").asText().equals(kate)).singleElement().satisfies(e -> {
            assertThat(e.at("/details/method").asText()).isEqualTo("oidc");
            assertThat(e.at("/details/via").asText()).isEqualTo("web");
        });

        HttpResponse<String> enforce = http.json("PUT", "v1/orgs/" + sso.org() + "/sso", sso.ownerToken(), "{\"issuer\":\"" + op.issuer()
                + "\",\"client_id\":\"ccp-rs256\",\"domains\":[\"" + sso.domain() + "\"],\"enforced\":true,\"break_glass\":\"" + sso.ownerLogin() + "\"}");
        assertThat(enforce.statusCode()).as(enforce.body()).isEqualTo(200);
        String second = Http.body(http.json("POST", "v1/orgs/" + sso.org() + "/invites", sso.ownerToken(), "{}")).get("url").asText();
        String handle = "leo-" + Long.toHexString(System.nanoTime());
        Browser leo = new Browser();
        HttpResponse<String> refused = leo.submit(leo.get(second), second, "method", "stand-in", "login", handle);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("signs its members in through its own identity provider only", "Continue with SSO and join");
        assertThat(Http.body(http.get("v1/orgs/" + sso.org() + "/members", sso.ownerToken())).toString()).doesNotContain(handle);

        String mia = "mia@" + sso.domain();
        HttpResponse<String> bySso = leo.signInAtProvider(leo.submit(refused, second, "method", "sso", "sso_email", mia), mia);
        assertThat(bySso.statusCode()).as(bySso.body()).isEqualTo(200);
        assertThat(bySso.body()).contains(mia, "joined", sso.org());
    }

    @Test
    void turningEnforcementOnEndsTheSessionsMembersMadeAnotherWayButNotTheBreakGlassOwners() throws Exception {
        SsoOrg sso = ssoOrg("ccp-rs256");
        Http http = http();
        String handle = "nina-" + Long.toHexString(System.nanoTime());
        http.json("POST", "v1/orgs/" + sso.org() + "/members", sso.ownerToken(), "{\"login\":\"" + handle + "\",\"role\":\"admin\"}");
        JsonNode ninaTokens = Logins.login(http, handle, sso.org());
        PageSession ninaPages = PageSession.signIn(http, handle, sso.org());
        PageSession ownerPages = PageSession.signIn(http, sso.ownerLogin(), sso.org());
        assertThat(ninaPages.get("admin/members").statusCode()).isEqualTo(200);

        HttpResponse<String> enforce = http.json("PUT", "v1/orgs/" + sso.org() + "/sso", sso.ownerToken(), "{\"issuer\":\"" + op.issuer()
                + "\",\"client_id\":\"ccp-rs256\",\"domains\":[\"" + sso.domain() + "\"],\"enforced\":true,\"break_glass\":\"" + sso.ownerLogin() + "\"}");
        assertThat(enforce.statusCode()).as(enforce.body()).isEqualTo(200);

        HttpResponse<String> refresh = http.form("oauth/token", Http.fields("grant_type", "refresh_token",
                "refresh_token", ninaTokens.get("refresh_token").asText(), "client_id", Logins.CLIENT));
        assertThat(refresh.statusCode()).isEqualTo(400);
        assertThat(Http.body(refresh).get("error_description").asText()).contains("revoked", "through its own identity provider only");
        assertThat(http.get("v1/me", ninaTokens.get("access_token").asText()).statusCode()).isEqualTo(401);
        assertThat(ninaPages.get("admin/members").statusCode()).as("sent to sign in again").isEqualTo(303);
        assertThat(ownerPages.get("admin/members").statusCode()).as("the break-glass owner's").isEqualTo(200);
        assertThat(http.get("v1/me", sso.ownerToken()).statusCode()).isEqualTo(200);
        JsonNode changed = Http.body(http.get("v1/orgs/" + sso.org() + "/audit?action=sso.changed", sso.ownerToken())).get("entries");
        assertThat(changed.get(changed.size() - 1).at("/details/sessions_ended").asInt()).isEqualTo(2);

        String olga = "olga@" + sso.domain();
        http.json("POST", "v1/orgs/" + sso.org() + "/members", sso.ownerToken(), "{\"login\":\"" + olga + "\",\"role\":\"admin\"}");
        Browser browser = new Browser();
        HttpResponse<String> signedIn = browser.signInAtProvider(browser.submit(browser.get(home + "login"), home + "login", "method", "sso",
                "sso_email", olga, "org", sso.org(), "next", "/admin"), olga);
        assertThat(signedIn.body()).as(signedIn.body()).contains("you are admin");
        http.json("PUT", "v1/orgs/" + sso.org() + "/sso", sso.ownerToken(), "{\"issuer\":\"" + op.issuer() + "\",\"client_id\":\"ccp-rs256\","
                + "\"domains\":[\"" + sso.domain() + "\",\"more-" + sso.domain() + "\"],\"enforced\":true,\"break_glass\":\"" + sso.ownerLogin() + "\"}");
        assertThat(browser.get(home + "admin").body()).as("a sign-in through the provider after the switch lasts").contains("you are admin");
    }

    @Test
    void anUnverifiedEmailOrAnIdTokenSignedWithTheClientSecretIsRefused() throws Exception {
        SsoOrg rs = ssoOrg("ccp-rs256");
        Browser browser = new Browser();
        HttpResponse<String> unverified = browser.signInAtProvider(browser.submit(browser.get(home + "login"), home + "login",
                "method", "sso", "sso_email", "unverified@" + rs.domain(), "next", "/admin"), "unverified@" + rs.domain());
        assertThat(unverified.statusCode()).isEqualTo(400);
        assertThat(unverified.body()).contains("does not say your email address is verified");

        SsoOrg hs = ssoOrg("ccp-hs256");
        Browser other = new Browser();
        HttpResponse<String> hmac = other.signInAtProvider(other.submit(other.get(home + "login"), home + "login",
                "method", "sso", "sso_email", "carol@" + hs.domain(), "next", "/admin"), "carol@" + hs.domain());
        assertThat(hmac.statusCode()).isEqualTo(400);
        assertThat(hmac.body()).contains("ID token did not hold up");

        Browser third = new Browser();
        HttpResponse<String> unknown = third.submit(third.get(home + "login"), home + "login",
                "method", "sso", "sso_email", "dave@nobody-claimed.example", "next", "/admin");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("No org on this server signs in people of nobody-claimed.example");
    }

    @Test
    void theCliLogsInThroughTheProviderAndARotatedKeyIsPickedUp(@TempDir Path dir) throws Exception {
        SsoOrg sso = ssoOrg("ccp-rs256", "erin");
        Browser first = new Browser();
        assertThat(first.signInAtProvider(first.submit(first.get(home + "login"), home + "login", "method", "sso",
                "sso_email", "erin@" + sso.domain(), "org", sso.org(), "next", "/admin"), "erin@" + sso.domain()).statusCode()).isEqualTo(200);

        op.rotate("rsa-rotated-" + Long.toHexString(System.nanoTime()));
        Browser browser = new Browser();
        Cli.Result login = CliEndToEndIT.login(new Cli(dir, home), (userCode, invitePage) -> {
            HttpResponse<String> page = browser.get(home + "device?user_code=" + userCode);
            HttpResponse<String> hop = browser.submit(page, home + "device", "user_code", userCode, "decision", "sso",
                    "sso_email", "erin@" + sso.domain());
            return browser.signInAtProvider(hop, "erin@" + sso.domain());
        }, "--org", sso.org());

        CliEndToEndIT.loggedIn(login);
        assertThat(login.out()).contains("Logged in as erin@" + sso.domain() + " to org " + sso.org());
    }

    @Test
    void theDashboardSignInGoesThroughTheProviderInChromiumWithoutJavaScript() {
        assumeTrue(java.nio.file.Files.isExecutable(DashboardBrowserIT.CHROMIUM) && java.nio.file.Files.isExecutable(DashboardBrowserIT.DRIVER),
                "chromium and chromium-driver are not installed");
        SsoOrg sso = ssoOrg("ccp-rs256", "gina");
        String gina = "gina@" + sso.domain();
        org.openqa.selenium.WebDriver browser = DashboardBrowserIT.chromium();
        org.openqa.selenium.support.ui.WebDriverWait wait = new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(30));
        try {
            browser.get(home + "login?next=/dashboards/health");
            browser.findElement(org.openqa.selenium.By.id("org")).sendKeys(sso.org());
            browser.findElement(org.openqa.selenium.By.id("sso_email")).sendKeys(gina);
            browser.findElement(org.openqa.selenium.By.cssSelector("button[value=sso]")).click();
            // The page that goes on by itself (no script) lands on the provider's login page.
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.urlContains(op.issuer() + "/interaction/"));
            browser.findElement(org.openqa.selenium.By.name("login")).sendKeys(gina);
            browser.findElement(org.openqa.selenium.By.name("password")).sendKeys("any");
            browser.findElement(org.openqa.selenium.By.cssSelector("button[type=submit]")).click();
            wait.until(d -> d.getPageSource().contains("value=\"consent\"") || d.getCurrentUrl().contains("/dashboards/health"));
            if (!browser.getCurrentUrl().contains("/dashboards/health")) {
                browser.findElement(org.openqa.selenium.By.cssSelector("button[type=submit]")).click();
            }
            wait.withMessage(() -> "still at " + browser.getCurrentUrl())
                    .until(org.openqa.selenium.support.ui.ExpectedConditions.urlContains("/dashboards/health"));
            assertThat(browser.findElement(org.openqa.selenium.By.tagName("h1")).getText()).isEqualTo("Model health");
            assertThat(browser.findElement(org.openqa.selenium.By.tagName("nav")).getText()).contains("org " + sso.org());
            DashboardBrowserIT.screenshot(browser, "sso-model-health.png");
        } finally {
            browser.quit();
        }
    }

    @Test
    void ownersSetUpTheProviderOnTheAdminPagesAndSamlSaysItIsNotAvailableYet() throws Exception {
        SsoOrg sso = ssoOrg("ccp-rs256");
        PageSession owner = PageSession.signIn(http(), sso.ownerLogin(), sso.org());
        HttpResponse<String> page = owner.get("admin/sso");
        assertThat(page.body()).contains(op.issuer(), sso.domain(), home + "login/oidc/callback", "(secret set)");

        HttpResponse<String> saml = owner.post("admin/sso", "admin/sso", "kind", "saml", "issuer", "https://idp.example", "client_id", "x",
                "domains", sso.domain());
        assertThat(saml.statusCode()).isEqualTo(501);
        assertThat(saml.body()).contains("SAML single sign-on is planned");

        String second = "corp2-" + Long.toHexString(System.nanoTime()) + ".example";
        HttpResponse<String> saved = owner.post("admin/sso", "admin/sso", "kind", "oidc", "issuer", op.issuer(), "client_id", "ccp-rs256",
                "domains", sso.domain() + ", " + second);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
        assertThat(owner.get("admin/sso?done=sso").body()).contains("Single sign-on saved.", second);
        assertThat(Http.body(http().get("v1/orgs/" + sso.org() + "/sso", sso.ownerToken())).get("client_secret_set").asBoolean())
                .as("an empty secret field keeps the secret").isTrue();

        String admin = "hank-" + Long.toHexString(System.nanoTime());
        http().json("POST", "v1/orgs/" + sso.org() + "/members", sso.ownerToken(), "{\"login\":\"" + admin + "\",\"role\":\"admin\"}");
        Logins.accessToken(http(), admin, sso.org());
        HttpResponse<String> byAdmin = PageSession.signIn(http(), admin, sso.org()).post("admin/sso", "admin/sso/remove");
        assertThat(byAdmin.statusCode()).isEqualTo(403);
        assertThat(byAdmin.body()).contains("only owners of " + sso.org() + " set up its single sign-on");
        assertThat(owner.post("admin/sso", "admin/sso/remove").statusCode()).isEqualTo(303);
        assertThat(http().get("v1/orgs/" + sso.org() + "/sso", sso.ownerToken()).statusCode()).isEqualTo(404);
    }

    @Test
    void anOrgThatEnforcesItsProviderLetsOnlyTheBreakGlassOwnerInAnotherWay() throws Exception {
        SsoOrg sso = ssoOrg("ccp-rs256", "frank");
        Http http = http();
        HttpResponse<String> enforce = http.json("PUT", "v1/orgs/" + sso.org() + "/sso", sso.ownerToken(), "{\"issuer\":\"" + op.issuer()
                + "\",\"client_id\":\"ccp-rs256\",\"domains\":[\"" + sso.domain() + "\"],\"enforced\":true,\"break_glass\":\"" + sso.ownerLogin() + "\"}");
        assertThat(enforce.statusCode()).as(enforce.body()).isEqualTo(200);
        Browser frankSso = new Browser();
        assertThat(frankSso.signInAtProvider(frankSso.submit(frankSso.get(home + "login"), home + "login", "method", "sso",
                "sso_email", "frank@" + sso.domain(), "org", sso.org(), "next", "/admin"), "frank@" + sso.domain()).statusCode()).isEqualTo(200);

        Browser frank = new Browser();
        HttpResponse<String> typed = frank.submit(frank.get(home + "login"), home + "login", "login", "frank@" + sso.domain(), "org", sso.org(),
                "next", "/admin");
        assertThat(typed.body()).as("a typed email of a claimed domain goes to its provider").contains("Taking you to your company's sign-in page");

        String handle = "frank-" + Long.toHexString(System.nanoTime());
        http.json("POST", "v1/orgs/" + sso.org() + "/members", sso.ownerToken(), "{\"login\":\"" + handle + "\"}");
        Browser byHandle = new Browser();
        HttpResponse<String> refused = byHandle.submit(byHandle.get(home + "login"), home + "login", "login", handle, "org", sso.org(),
                "next", "/admin");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("signs its members in through its own identity provider only");

        Browser owner = new Browser();
        HttpResponse<String> glass = owner.submit(owner.get(home + "login"), home + "login", "login", sso.ownerLogin(), "org", sso.org(),
                "next", "/admin/audit?action=session.signed_in");
        assertThat(glass.statusCode()).as(glass.body()).isEqualTo(200);
        assertThat(glass.body()).contains("method: oidc", "method: stand-in");

        HttpResponse<String> saml = http.json("PUT", "v1/orgs/" + sso.org() + "/sso", sso.ownerToken(), "{\"kind\":\"saml\"}");
        assertThat(saml.statusCode()).isEqualTo(501);
        assertThat(Http.body(saml).get("detail").asText()).contains("SAML single sign-on is planned");
        SsoOrg other = ssoOrg("ccp-rs256");
        HttpResponse<String> claimed = http.json("PUT", "v1/orgs/" + other.org() + "/sso", other.ownerToken(), "{\"issuer\":\"" + op.issuer()
                + "\",\"client_id\":\"ccp-rs256\",\"domains\":[\"" + sso.domain() + "\"]}");
        assertThat(claimed.statusCode()).isEqualTo(409);
        assertThat(Http.body(claimed).get("type").asText()).endsWith("/domain-claimed");
        assertThat(http.get("v1/orgs/" + sso.org() + "/sso", other.ownerToken()).statusCode()).as("another org's settings").isEqualTo(404);
    }
}
