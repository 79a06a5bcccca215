package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.spi.wire.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Requests racing for the same row: each race ends in one success and, for the others, the same
 * success or a clear 409, never a 500. CI runs this on H2 and on PostgreSQL.
 */
class ConcurrencyIT extends ServerIT {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    /** Runs {@code n} requests released at the same moment, and answers them in order. */
    static List<HttpResponse<String>> race(int n, IntFunction<HttpResponse<String>> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return request.apply(index);
                }));
            }
            ready.await();
            go.countDown();
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> future : futures) {
                answers.add(future.get());
            }
            for (HttpResponse<String> answer : answers) {
                assertThat(answer.statusCode()).as(answer.body()).isLessThan(500);
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A sign-in form's CSRF cookie and field, reusable: the double submit keeps nothing on the server. */
    private static String[] csrf(Http http) {
        HttpResponse<String> page = http.get("login", null);
        Matcher field = CSRF_FIELD.matcher(page.body());
        assertThat(field.find()).isTrue();
        return new String[] {page.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0], field.group(1)};
    }

    private static HttpResponse<String> signIn(Http http, String[] csrf, String login) {
        return http.send(HttpRequest.newBuilder(http.uri("login")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", csrf[0]).POST(HttpRequest.BodyPublishers.ofString(Http.encode(
                        Http.fields("csrf", csrf[1], "login", login, "next", "/dashboards/health")))));
    }

    @Test
    void concurrentFirstSignInsOfOnePersonAllSignIn() throws Exception {
        Http http = http();
        String[] csrf = csrf(http);
        String login = Logins.unique("first");

        List<HttpResponse<String>> answers = race(8, i -> signIn(http, csrf, login));

        assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).as(a.body()).isEqualTo(303));
        JsonNode me = Http.body(http.get("v1/me", Logins.accessToken(http, login, null)));
        assertThat(me.get("orgs")).as("one person, one personal org").hasSize(1);
    }

    @Test
    void newPeopleWhoseOrgNamesCollideEachGetAnOrgOfTheirOwn() throws Exception {
        Http http = http();
        String[] csrf = csrf(http);
        String name = "clash" + Long.toHexString(System.nanoTime());

        List<HttpResponse<String>> answers = race(6, i -> signIn(http, csrf, name + "@host" + i + ".example"));

        assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).as(a.body()).isEqualTo(303));
        Set<String> orgs = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            orgs.add(Http.body(http.get("v1/me", Logins.accessToken(http, name + "@host" + i + ".example", null))).get("org").asText());
        }
        assertThat(orgs).hasSize(6);
    }

    @Test
    void concurrentAddsOfOneMemberEndInOneMemberAndClearConflicts() throws Exception {
        Http http = http();
        String owner = Logins.accessToken(http, Logins.unique("adder"), null);
        String org = Http.body(http.get("v1/me", owner)).get("org").asText();
        String newcomer = Logins.unique("newcomer");
        Logins.accessToken(http, newcomer, null);

        List<HttpResponse<String>> answers = race(8, i -> http.json("POST", "v1/orgs/" + org + "/members", owner,
                "{\"login\":\"" + newcomer + "\",\"seat\":false}"));

        assertThat(answers).filteredOn(a -> a.statusCode() == 201).hasSize(1);
        assertThat(answers).filteredOn(a -> a.statusCode() != 201).allSatisfy(a -> {
            assertThat(a.statusCode()).isEqualTo(409);
            assertThat(a.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        });
        JsonNode members = Http.body(http.get("v1/orgs/" + org + "/members", owner));
        assertThat(members.findValuesAsText("login")).filteredOn(newcomer::equals).hasSize(1);
    }

    @Test
    void copiesOfOnePolarDeliveryArriveTogetherAndAreProcessedOnce() throws Exception {
        Http http = http();
        String orgId = orgIdOf(Logins.accessToken(http, Logins.unique("copies"), null));
        Instant now = Instant.now();
        String id = "evt_copies_" + orgId;
        String body = BillingIT.subscription("subscription.active", orgId, "active", now.minusSeconds(10));
        String signature = BillingIT.sign(id, now, body);

        List<HttpResponse<String>> answers = race(8, i -> http.send(HttpRequest.newBuilder(http.uri("v1/webhooks/polar"))
                .header("Content-Type", "application/json").header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(now.getEpochSecond())).header("webhook-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body))));

        assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).as(a.body()).isEqualTo(200));
        assertThat(answers).filteredOn(a -> Http.body(a).get("outcome").asText().startsWith("applied")).hasSize(1);
        assertThat(answers).filteredOn(a -> Http.body(a).get("outcome").asText().startsWith("duplicate")).hasSize(7);
    }

    @Test
    void aNewMinuteOfIngestUnderManyConnectionsCountsEveryBatch() throws Exception {
        Http http = http();
        String token = UsageIT.teamOf(http, "minute", 0).get(0);

        List<HttpResponse<String>> answers = race(32, i -> http.json("POST", "v1/ingest/rollups", token,
                UsageIT.batch(UsageIT.row("race-model-" + i, 1, 1))));

        assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).as(a.body()).isEqualTo(200));
    }

    @Test
    void concurrentRefreshesWithOneTokenConvergeOnOneSuccessor() throws Exception {
        Http http = http();
        String refresh = Logins.login(http, Logins.unique("refresher"), null).get("refresh_token").asText();

        List<HttpResponse<String>> answers = race(8, i -> http.form("oauth/token",
                Http.fields("grant_type", "refresh_token", "refresh_token", refresh, "client_id", Logins.CLIENT)));

        assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).as(a.body()).isEqualTo(200));
        assertThat(answers.stream().map(a -> Http.body(a).get("refresh_token").asText()).distinct()).hasSize(1);
        assertThat(answers.stream().map(a -> Http.body(a).get("access_token").asText()).distinct()).hasSize(1);
        String successor = Http.body(answers.get(0)).get("refresh_token").asText();
        assertThat(http.form("oauth/token", Http.fields("grant_type", "refresh_token", "refresh_token", successor,
                "client_id", Logins.CLIENT)).statusCode()).as("the one successor works").isEqualTo(200);
    }

    /** The org id an access token is for, read from its claims. */
    static String orgIdOf(String accessToken) throws Exception {
        String payload = new String(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]), StandardCharsets.UTF_8);
        return Json.lenient().readTree(payload).get("org").asText();
    }
}
