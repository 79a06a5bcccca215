package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.spi.audit.AuditExport;
import dev.ccp.spi.license.KeyRing;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin pages as owners, admins and members use them: over HTTP as a browser without
 * JavaScript would (forms, the session's token, redirects), and in a real headless chromium with
 * JavaScript off. Every change made here must show up where the API and the audit log see it.
 */
class AdminPagesIT extends ServerIT {

    private static final Pattern LINK = Pattern.compile("<code class=\"link\">([^<]+)</code>");

    /** An owner of a fresh org on the Team plan, with their token and a session on the pages. */
    private record Owner(String login, String token, String org, PageSession pages) {
    }

    private Owner owner(Http http, String name) {
        String login = Logins.unique(name);
        String token = Logins.accessToken(http, login, null);
        String org = Http.body(http.get("v1/me", token)).get("org").asText();
        http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":\"team\",\"seats\":3}");
        return new Owner(login, token, org, PageSession.signIn(http, login, org));
    }

    @Test
    void anOwnerRunsTheOrgFromThePagesAndEveryChangeIsAudited() throws IOException {
        Http http = http();
        Owner owner = owner(http, "pages-owner");
        PageSession pages = owner.pages();

        HttpResponse<String> overview = pages.get("admin");
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains("<h1>Overview</h1>", "Team", "1 of 3 taken", "Policy prod", "nothing published");
        assertThat(overview.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'");

        String dev = Logins.unique("pages-dev");
        HttpResponse<String> added = pages.post("admin/members", "admin/members/add", "login", dev, "role", "member");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(303);
        assertThat(added.headers().firstValue("Location").orElseThrow()).endsWith("/admin/members?done=added");
        assertThat(pages.get("admin/members?done=added").body()).contains("Member added.", dev, "not logged in yet");
        assertThat(pages.get("admin/members?done=Your+account+is+locked").body()).doesNotContain("Your account is locked");

        assertThat(pages.post("admin/members", "admin/members/seat", "login", dev, "seat", "give").statusCode()).isEqualTo(303);
        assertThat(pages.post("admin/members", "admin/members/role", "login", dev, "role", "admin").statusCode()).isEqualTo(303);
        JsonNode member = member(http, owner, dev);
        assertThat(member.get("role").asText()).isEqualTo("admin");
        assertThat(member.get("seat").isNull()).isFalse();

        HttpResponse<String> lastOwner = pages.post("admin/members", "admin/members/role", "login", owner.login(), "role", "member");
        assertThat(lastOwner.statusCode()).isEqualTo(409);
        assertThat(lastOwner.body()).contains("class=\"error\"", "at least one owner").doesNotContain("Exception");

        HttpResponse<String> link = pages.post("admin/invites", "admin/invites", "login", "", "role", "member", "seat", "on", "days", "3");
        assertThat(link.statusCode()).as(link.body()).isEqualTo(200);
        Matcher url = LINK.matcher(link.body());
        assertThat(url.find()).as(link.body()).isTrue();
        assertThat(pages.get("admin/invites").body()).as("a link's secret is shown once").doesNotContain(url.group(1));
        String guest = Logins.unique("pages-guest");
        assertThat(new Person(http, guest).acceptInvite(url.group(1)).statusCode()).isEqualTo(200);

        String emailed = Logins.unique("pages-emailed");
        HttpResponse<String> invited = pages.post("admin/invites", "admin/invites", "login", emailed, "role", "member");
        assertThat(invited.statusCode()).isEqualTo(303);
        String id = openInviteId(http, owner, emailed);
        assertThat(pages.post("admin/invites", "admin/invites/revoke", "id", id).statusCode()).isEqualTo(303);
        assertThat(pages.get("admin/invites?done=revoked").body()).contains("Invite revoked.", emailed, "revoked");
        HttpResponse<String> badDays = pages.post("admin/invites", "admin/invites", "login", Logins.unique("x"), "days", "many");
        assertThat(badDays.statusCode()).isEqualTo(400);
        assertThat(badDays.body()).contains("Days must be a whole number");

        http.json("POST", "v1/admin/policies/dev", owner.token(), "{\"schema\":\"ccp.policy/v1\"}");
        assertThat(pages.get("admin/policy").body()).contains("Channel dev", "In force: version 1.", "Promote to prod");
        assertThat(pages.post("admin/policy", "admin/policy/promote", "version", "1").statusCode()).isEqualTo(303);
        assertThat(http.get("v1/policy/prod", owner.token()).statusCode()).isEqualTo(200);
        assertThat(pages.get("admin/policy?done=promoted").body()).contains("Promoted to prod");

        HttpResponse<String> audit = pages.get("admin/audit");
        assertThat(audit.body()).contains("member.added", "seat.assigned", "member.role_changed", "invite.created", "invite.revoked",
                "invite.accepted", "policy.promoted", "license.plan_changed", "session.signed_in", "via: web", "via: device");
        HttpResponse<String> filtered = pages.get("admin/audit?action=member.role_changed&from=2000-01-01");
        assertThat(filtered.body()).contains("member.role_changed", "from: member", "to: admin").doesNotContain("<td>member.added</td>");
        HttpResponse<String> badFilter = pages.get("admin/audit?from=yesterday");
        assertThat(badFilter.statusCode()).isEqualTo(400);
        assertThat(badFilter.body()).contains("from must be a day such as");

        HttpResponse<String> export = pages.get("admin/audit/export?format=jsonl");
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Disposition").orElse("")).contains(owner.org() + "-audit.jsonl");
        AuditExport.Parsed parsed = AuditExport.read(List.of(export.body().split("\n")));
        assertThat(parsed.entries()).hasSizeGreaterThan(8);
        assertThat(parsed.checkpoints()).isNotEmpty();
        assertThat(parsed.entries()).as("each change made by a request says where it came from")
                .filteredOn(e -> e.action().equals("member.role_changed")).allSatisfy(e -> assertThat(e.details().get("context"))
                        .isInstanceOfSatisfying(java.util.Map.class, c -> assertThat(c).containsKeys("ip", "user_agent")));
        AuditExport.Result verified = AuditExport.verify(parsed, KeyRing.parseJwks(http.get(".well-known/jwks.json", null).body()));
        assertThat(verified.valid()).as(verified.reason()).isTrue();
        assertThat(verified.vouchedTo()).isEqualTo(parsed.entries().get(parsed.entries().size() - 1).seq());
        assertThat(pages.get("admin/audit/export?format=csv").body()).startsWith("seq,at,action");

        HttpResponse<String> billing = pages.get("admin/billing");
        assertThat(billing.body()).contains("Team (active), 3 seats", "No subscription yet", "Go to checkout");
    }

    @Test
    void aFormWithoutTheSessionsTokenChangesNothing() {
        Http http = http();
        Owner owner = owner(http, "csrf-owner");
        String victim = Logins.unique("csrf-target");
        assertThat(owner.pages().post("admin/members", "admin/members/add", "login", victim).statusCode()).isEqualTo(303);

        HttpResponse<String> forged = owner.pages().postWithToken("admin/members/remove", "guessed", "login", victim);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("This form expired or did not come from this site");
        HttpResponse<String> tokenOfAnotherSession = owner.pages().postWithToken("admin/members/remove",
                csrfOf(PageSession.signIn(http, owner.login(), owner.org()).get("admin/members").body()), "login", victim);
        assertThat(tokenOfAnotherSession.statusCode()).isEqualTo(403);
        assertThat(member(http, owner, victim)).as("still a member").isNotNull();

        HttpResponse<String> signedOut = new PageSession(http, "ccp_session=nobody").get("admin/members");
        assertThat(signedOut.statusCode()).isEqualTo(303);
        assertThat(signedOut.headers().firstValue("Location").orElseThrow()).endsWith("/login?next=%2Fadmin%2Fmembers");
    }

    @Test
    void aMemberReadsWhatMembersMayAndChangesNothing() {
        Http http = http();
        Owner owner = owner(http, "ro-owner");
        String plain = Logins.unique("ro-member");
        http.json("POST", "v1/orgs/" + owner.org() + "/members", owner.token(), "{\"login\":\"" + plain + "\",\"seat\":false}");
        Logins.accessToken(http, plain, owner.org());
        PageSession member = PageSession.signIn(http, plain, owner.org());

        HttpResponse<String> list = member.get("admin/members");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains(owner.login(), plain, "you are member").doesNotContain("members/remove", "Add a member");
        for (String page : List.of("admin/invites", "admin/audit", "admin/policy", "admin/billing", "admin/audit/export?format=jsonl")) {
            HttpResponse<String> refused = member.get(page);
            assertThat(refused.statusCode()).as(page).isEqualTo(403);
            assertThat(refused.body()).as(page).contains("Only owners and admins of " + owner.org() + " see this page");
        }
        HttpResponse<String> attempt = member.post("admin/members", "admin/members/add", "login", Logins.unique("friend"));
        assertThat(attempt.statusCode()).isEqualTo(403);
        assertThat(attempt.body()).contains("Only owners and admins of " + owner.org() + " change this");
    }

    @Test
    void anotherOrgsPeopleAndInvitesAreOutOfReach() {
        Http http = http();
        Owner alice = owner(http, "iso-alice");
        Owner bob = owner(http, "iso-bob");
        String bobsDev = Logins.unique("iso-bobs-dev");
        http.json("POST", "v1/orgs/" + bob.org() + "/members", bob.token(), "{\"login\":\"" + bobsDev + "\"}");
        http.json("POST", "v1/orgs/" + bob.org() + "/invites", bob.token(), "{\"login\":\"" + Logins.unique("iso-invitee") + "\"}");
        String bobsInvite = Http.body(http.get("v1/orgs/" + bob.org() + "/invites", bob.token())).get(0).get("id").asText();

        for (String[] form : List.of(new String[] {"admin/members/role", "login", bob.login(), "role", "member"},
                new String[] {"admin/members/remove", "login", bobsDev}, new String[] {"admin/members/seat", "login", bobsDev, "seat", "take"})) {
            HttpResponse<String> answer = alice.pages().post("admin/members", form[0], java.util.Arrays.copyOfRange(form, 1, form.length));
            assertThat(answer.statusCode()).as(form[0]).isEqualTo(404);
            assertThat(answer.body()).as(form[0]).contains("is not a member of " + alice.org());
        }
        HttpResponse<String> revoke = alice.pages().post("admin/invites", "admin/invites/revoke", "id", bobsInvite);
        assertThat(revoke.statusCode()).isEqualTo(404);
        assertThat(Http.body(http.get("v1/orgs/" + bob.org() + "/invites", bob.token())).get(0).get("state").asText()).isEqualTo("open");
        assertThat(alice.pages().get("admin/members").body()).doesNotContain(bobsDev);
        assertThat(alice.pages().get("admin/audit").body()).doesNotContain(bobsDev, bob.login());
        assertThat(member(http, bob, bobsDev)).isNotNull();
    }

    @Test
    void anAdminWalksThePagesInABrowserWithoutJavaScript() {
        assumeTrue(Files.isExecutable(DashboardBrowserIT.CHROMIUM) && Files.isExecutable(DashboardBrowserIT.DRIVER),
                "chromium and chromium-driver are not installed");
        Http http = http();
        Owner owner = owner(http, "browser-admin");
        String dev = Logins.unique("browser-dev");
        http.json("POST", "v1/orgs/" + owner.org() + "/members", owner.token(), "{\"login\":\"" + dev + "\",\"seat\":false}");
        http.json("POST", "v1/admin/policies/dev", owner.token(), "{\"schema\":\"ccp.policy/v1\"}");

        WebDriver browser = DashboardBrowserIT.chromium();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        try {
            browser.get(http.base() + "device?user_code=WDJB-MJHT");
            assertThat(browser.findElement(By.tagName("form")).getText()).contains("Approve with GitHub", "Approve", "Deny");
            DashboardBrowserIT.screenshot(browser, "device.png");
            browser.get(http.base() + "admin/members");
            wait.until(ExpectedConditions.urlContains("/login"));
            DashboardBrowserIT.screenshot(browser, "login.png");
            browser.findElement(By.name("login")).sendKeys(owner.login());
            browser.findElement(By.name("org")).sendKeys(owner.org());
            browser.findElement(By.cssSelector("button[value=stand-in]")).click();
            wait.until(ExpectedConditions.urlContains("/admin/members"));
            assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Members");

            WebElement row = rowOf(browser, dev);
            row.findElement(By.xpath(".//button[starts-with(normalize-space(.), 'Assign seat')]")).click();
            wait.until(ExpectedConditions.urlContains("done=seat"));
            assertThat(browser.findElement(By.cssSelector("p.notice")).getText()).isEqualTo("Seat assigned.");
            row = rowOf(browser, dev);
            new Select(row.findElement(By.tagName("select"))).selectByValue("admin");
            row.findElement(By.xpath(".//button[starts-with(normalize-space(.), 'Change role')]")).click();
            wait.until(ExpectedConditions.urlContains("done=role"));
            assertThat(rowOf(browser, dev).getText()).contains("admin", "seat");
            DashboardBrowserIT.screenshot(browser, "admin-members.png");
            assertAccessible(browser);

            browser.findElement(By.linkText("Invites")).click();
            wait.until(ExpectedConditions.urlContains("/admin/invites"));
            browser.findElement(By.id("invite-login")).sendKeys(Logins.unique("browser-guest"));
            new Select(browser.findElement(By.id("invite-role"))).selectByValue("admin");
            browser.findElement(By.xpath("//button[normalize-space(.)='Invite']")).click();
            wait.until(ExpectedConditions.urlContains("done=invited"));
            browser.findElement(By.id("invite-login")).clear();
            browser.findElement(By.xpath("//button[normalize-space(.)='Invite']")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("code.link")));
            assertThat(browser.findElement(By.cssSelector("code.link")).getText()).contains("/invite/");
            DashboardBrowserIT.screenshot(browser, "admin-invites.png");
            assertAccessible(browser);

            browser.findElement(By.linkText("Audit log")).click();
            wait.until(ExpectedConditions.urlContains("/admin/audit"));
            browser.findElement(By.id("f-action")).sendKeys("seat.assigned");
            browser.findElement(By.xpath("//button[normalize-space(.)='Filter']")).click();
            wait.until(ExpectedConditions.urlContains("action=seat.assigned"));
            List<WebElement> rows = browser.findElements(By.cssSelector("table.list tbody tr"));
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).getText()).contains("seat.assigned", dev);
            DashboardBrowserIT.screenshot(browser, "admin-audit.png");
            assertAccessible(browser);

            browser.findElement(By.linkText("Policy")).click();
            wait.until(ExpectedConditions.urlContains("/admin/policy"));
            browser.findElement(By.xpath("//button[starts-with(normalize-space(.), 'Promote to prod')]")).click();
            wait.until(ExpectedConditions.urlContains("done=promoted"));
            assertThat(browser.getPageSource()).contains("Channel prod", "In force: version 1.");
            DashboardBrowserIT.screenshot(browser, "admin-policy.png");
            assertAccessible(browser);

            browser.findElement(By.linkText("Billing")).click();
            wait.until(ExpectedConditions.urlContains("/admin/billing"));
            DashboardBrowserIT.screenshot(browser, "admin-billing.png");
            assertAccessible(browser);
            browser.findElement(By.linkText("Overview")).click();
            wait.until(ExpectedConditions.urlMatches(".*/admin$"));
            assertThat(browser.findElement(By.tagName("main")).getText()).contains("2 of 3 taken");
            DashboardBrowserIT.screenshot(browser, "admin-overview.png");
            assertAccessible(browser);
        } finally {
            browser.quit();
        }
        JsonNode member = member(http, owner, dev);
        assertThat(member.get("role").asText()).isEqualTo("admin");
    }

    /**
     * What a screen reader and a keyboard need of a page, as far as the page itself says: a language,
     * one main heading, a name for every control (its label, or an aria-label), text on every button,
     * and body text and links dark enough on their background (WCAG AA, 4.5:1).
     */
    private static void assertAccessible(WebDriver browser) {
        String page = browser.getCurrentUrl();
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).as(page + ": html lang").isNotBlank();
        assertThat(browser.findElements(By.tagName("h1"))).as(page + ": one h1").hasSize(1);
        for (WebElement control : browser.findElements(By.cssSelector("input:not([type=hidden]):not([type=submit]), select, textarea"))) {
            String id = control.getAttribute("id");
            boolean labelled = (id != null && !id.isBlank() && !browser.findElements(By.cssSelector("label[for='" + id + "']")).isEmpty())
                    || !control.findElements(By.xpath("ancestor::label")).isEmpty()
                    || (control.getAttribute("aria-label") != null && !control.getAttribute("aria-label").isBlank());
            assertThat(labelled).as(page + ": a name for the control " + control.getAttribute("name")).isTrue();
        }
        for (WebElement button : browser.findElements(By.tagName("button"))) {
            String name = button.getText().isBlank() ? button.getAttribute("aria-label") : button.getText();
            assertThat(name).as(page + ": text on every button").isNotBlank();
        }
        double background = luminance(browser.findElement(By.tagName("body")).getCssValue("background-color"));
        for (String selector : List.of("main", "main a", "nav a")) {
            for (WebElement text : browser.findElements(By.cssSelector(selector)).stream().limit(5).toList()) {
                double ratio = contrast(luminance(text.getCssValue("color")), background);
                assertThat(ratio).as(page + ": contrast of " + selector).isGreaterThanOrEqualTo(4.5);
            }
        }
    }

    /** The relative luminance of a CSS rgb()/rgba() colour; a transparent one counts as white. */
    private static double luminance(String css) {
        Matcher m = Pattern.compile("rgba?\\((\\d+),\\s*(\\d+),\\s*(\\d+)(?:,\\s*([\\d.]+))?\\)").matcher(css);
        assertThat(m.find()).as("a colour: " + css).isTrue();
        if (m.group(4) != null && Double.parseDouble(m.group(4)) == 0) {
            return 1.0;
        }
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = Integer.parseInt(m.group(i + 1)) / 255.0;
            c[i] = v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    private static double contrast(double a, double b) {
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }

    private static WebElement rowOf(WebDriver browser, String login) {
        return browser.findElement(By.xpath("//tr[td[starts-with(normalize-space(.), '" + login + "')]]"));
    }

    private static JsonNode member(Http http, Owner owner, String login) {
        for (JsonNode m : Http.body(http.get("v1/orgs/" + owner.org() + "/members", owner.token()))) {
            if (m.get("login").asText().equals(login)) {
                return m;
            }
        }
        return null;
    }

    private static String openInviteId(Http http, Owner owner, String login) {
        for (JsonNode i : Http.body(http.get("v1/orgs/" + owner.org() + "/invites", owner.token()))) {
            if (login.equals(i.path("login").asText()) && i.get("state").asText().equals("open")) {
                return i.get("id").asText();
            }
        }
        throw new AssertionError("no open invite for " + login);
    }

    private static String csrfOf(String page) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
