package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Ingest and the model health views over HTTP: refusals, idempotency, k-safety, CSV and the page. */
class UsageIT extends ServerIT {

    static final String HOUR = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS).toString();

    static String row(String model, int revision, int requests) {
        return "{\"hour\":\"" + HOUR + "\",\"model\":\"" + model + "\",\"revision\":" + revision + ",\"requests\":" + requests
                + ",\"errors\":1,\"rate_limited\":0,\"offloaded\":" + (requests / 2) + ",\"tokens_in\":" + (requests * 100)
                + ",\"tokens_out\":" + (requests * 10) + ",\"latency_histogram\":[0,0,0," + requests + ",0,0,0,0,0,0]}";
    }

    static String batch(String... rows) {
        return "{\"rows\":[" + String.join(",", rows) + "]}";
    }

    /** An org on the team plan with an owner and {@code extra} more seated members, each logged in to it. */
    static List<String> teamOf(Http http, String name, int extra) {
        String owner = Logins.accessToken(http, Logins.unique(name + "-owner"), null);
        String org = Http.body(http.get("v1/me", owner)).get("org").asText();
        http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":\"team\",\"seats\":20}");
        List<String> tokens = new ArrayList<>(List.of(owner));
        for (int i = 0; i < extra; i++) {
            String login = Logins.unique(name + "-dev" + i);
            http.json("POST", "v1/orgs/" + org + "/members", owner, "{\"login\":\"" + login + "\"}");
            tokens.add(Logins.accessToken(http, login, org));
        }
        return tokens;
    }

    @Test
    void aFreePlanKeepsUsageLocalAndSaysWhereToUpgrade() {
        Http http = http();
        String token = Logins.accessToken(http, Logins.unique("free"), null);
        HttpResponse<String> refused = http.json("POST", "v1/ingest/rollups", token, batch(row("claude-sonnet-4-5", 1, 10)));
        assertThat(refused.statusCode()).isEqualTo(403);
        JsonNode problem = Http.body(refused);
        assertThat(problem.get("type").asText()).endsWith("/privacy-tier");
        assertThat(problem.get("detail").asText()).contains("keeps usage on your machine").contains("Pro plan");
        assertThat(problem.get("upgrade_url").asText()).endsWith("/pricing");
    }

    @Test
    void ingestIsIdempotentAndRefusesBadRowsByName() {
        Http http = http();
        String token = teamOf(http, "ingest", 0).get(0);

        JsonNode first = Http.body(http.json("POST", "v1/ingest/rollups", token, batch(row("claude-sonnet-4-5", 1, 10), row("glm-4.6", 1, 4))));
        assertThat(first.get("stored").asInt()).isEqualTo(2);
        JsonNode again = Http.body(http.json("POST", "v1/ingest/rollups", token, batch(row("claude-sonnet-4-5", 1, 10), row("glm-4.6", 1, 4))));
        assertThat(again.get("stored").asInt()).isZero();
        assertThat(again.get("unchanged").asInt()).isEqualTo(2);
        JsonNode newer = Http.body(http.json("POST", "v1/ingest/rollups", token, batch(row("claude-sonnet-4-5", 2, 12))));
        assertThat(newer.get("stored").asInt()).isEqualTo(1);

        HttpRequest.Builder keyed = HttpRequest.newBuilder(http.uri("v1/ingest/rollups")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).header("Idempotency-Key", "k-" + System.nanoTime())
                .POST(HttpRequest.BodyPublishers.ofString(batch(row("claude-haiku-4-5", 1, 3))));
        assertThat(Http.body(http.send(keyed)).get("stored").asInt()).isEqualTo(1);
        assertThat(Http.body(http.send(keyed)).get("stored").asInt()).as("the same key answers the same").isEqualTo(1);

        assertProblem(http.json("POST", "v1/ingest/rollups", token, batch(row("ok-model", 1, 1), row("Bad Model", 1, 1))), 400, "rows[1].model");
        assertProblem(http.json("POST", "v1/ingest/rollups", token, batch(row("m", 1, 1).replace("\"revision\"", "\"prompt\":\"secret\",\"revision\""))), 400, "unknown field \"prompt\"");
        assertProblem(http.json("POST", "v1/ingest/rollups", token, batch(row("m", 1, -5))), 400, "rows[0].requests");
        assertProblem(http.json("POST", "v1/ingest/rollups", token, batch(row("m", 1, 1).replace(HOUR, "2099-01-01T00:00:00Z"))), 400, "in the future");
        String[] many = new String[1001];
        for (int i = 0; i < many.length; i++) {
            many[i] = row("m" + i, 1, 1);
        }
        assertProblem(http.json("POST", "v1/ingest/rollups", token, batch(many)), 413, "at most 1000 rows");
        assertProblem(http.json("POST", "v1/ingest/rollups", "not-a-token", batch(row("m", 1, 1))), 401, "access token");
    }

    @Test
    void healthShowsAModelOnlyOnceFiveSeatsStandBehindIt() {
        Http http = http();
        List<String> seats = teamOf(http, "kfive", 4);
        for (String token : seats.subList(0, 4)) {
            assertThat(http.json("POST", "v1/ingest/rollups", token, batch(row("claude-sonnet-4-5", 1, 10))).statusCode()).isEqualTo(200);
        }
        JsonNode four = Http.body(http.get("v1/health/models?window=24h", seats.get(0)));
        assertThat(four.get("k").asInt()).isEqualTo(5);
        assertThat(four.get("models").get(0).get("total").get("suppressed").asBoolean()).isTrue();
        assertThat(four.get("models").get(0).get("total").has("requests")).isFalse();
        assertThat(four.get("all").get("total").get("suppressed").asBoolean()).isTrue();

        http.json("POST", "v1/ingest/rollups", seats.get(4), batch(row("claude-sonnet-4-5", 1, 10)));
        JsonNode five = Http.body(http.get("v1/health/models?window=24h", seats.get(0)));
        JsonNode total = five.get("models").get(0).get("total");
        assertThat(total.get("suppressed").asBoolean()).isFalse();
        assertThat(total.get("requests").asLong()).isEqualTo(50);
        assertThat(total.get("error_rate").asDouble()).isEqualTo(0.1);
        assertThat(total.get("offload_share").asDouble()).isEqualTo(0.5);
        assertThat(five.get("models").get(0).get("buckets")).hasSize(24);
        assertThat(Http.body(http.get("v1/health/models?window=7d", seats.get(0))).get("all").get("buckets")).hasSize(28);

        HttpResponse<String> csv = http.send(HttpRequest.newBuilder(http.uri("v1/health/models?window=24h"))
                .header("Authorization", "Bearer " + seats.get(1)).header("Accept", "text/csv").GET());
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body().lines().findFirst().orElse("")).startsWith("model,bucket_start,suppressed,requests");
        assertThat(csv.body()).contains("claude-sonnet-4-5," + HOUR + ",false,50,0.1,");
        assertThat(http.get("v1/health/models?format=csv", seats.get(1)).body()).isEqualTo(csv.body());

        assertProblem(http.get("v1/health/models?window=1y", seats.get(0)), 400, "24h or 7d");
    }

    @Test
    void oneOrgNeverSeesAnothersUsage() {
        Http http = http();
        List<String> a = teamOf(http, "orga", 4);
        List<String> b = teamOf(http, "orgb", 4);
        for (String token : a) {
            http.json("POST", "v1/ingest/rollups", token, batch(row("model-of-a", 1, 7)));
        }
        JsonNode seenByB = Http.body(http.get("v1/health/models", b.get(0)));
        assertThat(seenByB.get("models")).isEmpty();
        assertThat(Http.body(http.get("v1/health/models", a.get(0))).get("models").get(0).get("model").asText()).isEqualTo("model-of-a");
    }

    @Test
    void dashboardsNeedThePlanAndASignedInMember() {
        Http http = http();
        String freeToken = Logins.accessToken(http, Logins.unique("nodash"), null);
        HttpResponse<String> paywall = http.get("v1/health/models", freeToken);
        assertThat(paywall.statusCode()).isEqualTo(403);
        assertThat(Http.body(paywall).get("detail").asText()).contains("Dashboards are not part of the Free plan").contains("Team plan");

        HttpResponse<String> anonymous = http.get("dashboards/health", null);
        assertThat(anonymous.statusCode()).isEqualTo(303);
        assertThat(anonymous.headers().firstValue("Location").orElse("")).contains("/login?next=");
    }

    @Test
    void theDashboardPageDrawsChartsForASignedInMember() {
        Http http = http();
        List<String> seats = teamOf(http, "page", 4);
        for (String token : seats) {
            http.json("POST", "v1/ingest/rollups", token, batch(row("claude-sonnet-4-5", 1, 10)));
        }
        String owner = Http.body(http.get("v1/me", seats.get(0))).get("login").asText();
        String org = Http.body(http.get("v1/me", seats.get(0))).get("org").asText();

        String session = signIn(http, owner, org);
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(http.uri("dashboards/health?window=24h")).header("Cookie", session).GET());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<svg", "<circle", "claude-sonnet-4-5", "Download CSV", "health.csv?window")
                .doesNotContain("<script");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'");

        HttpResponse<String> csv = http.send(HttpRequest.newBuilder(http.uri("dashboards/health.csv?window=24h")).header("Cookie", session).GET());
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body()).contains("claude-sonnet-4-5," + HOUR + ",false,50,");
    }

    @Test
    void theOrgChoosesItsKButNeverBelowThree() {
        Http http = http();
        String owner = teamOf(http, "ksetting", 0).get(0);
        String org = Http.body(http.get("v1/me", owner)).get("org").asText();
        assertProblem(http.json("PATCH", "v1/orgs/" + org, owner, "{\"k_safety\":2}"), 400, "k_safety must be between 3");
        HttpResponse<String> seven = http.json("PATCH", "v1/orgs/" + org, owner, "{\"k_safety\":7}");
        assertThat(Http.body(seven).get("k_safety").asInt()).isEqualTo(7);
        assertThat(Http.body(http.get("v1/health/models", owner)).get("k").asInt()).isEqualTo(7);
    }

    @Test
    void anOrgSendingTooFastIsToldWhenToRetry() {
        Http http = http();
        String token = teamOf(http, "flood", 0).get(0);
        HttpResponse<String> last = null;
        // Up to two windows' worth: a run that straddles a minute boundary still meets the limit in the second.
        for (int i = 0; i < 250 && (last == null || last.statusCode() == 200); i++) {
            last = http.json("POST", "v1/ingest/rollups", token, batch(row("m", 1, 1)));
        }
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(last.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(Http.body(last).get("type").asText()).endsWith("/rate-limited");
    }

    @Test
    void thePaywallPointsAtAPricingPageListingThePlans() {
        HttpResponse<String> pricing = http().get("pricing", null);
        assertThat(pricing.statusCode()).isEqualTo(200);
        assertThat(pricing.body()).contains("Free", "Pro", "Team", "Dashboards", "minimized");
    }

    /** Signs in through the HTML form as a browser would and answers the session cookie. */
    static String signIn(Http http, String login, String org) {
        HttpResponse<String> form = http.get("login", null);
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(form.body());
        assertThat(csrf.find()).isTrue();
        String cookie = form.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(http.uri("login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString(Http.encode(Map.of("csrf", csrf.group(1), "login", login, "org", org,
                        "next", "/dashboards/health")))));
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
        return signedIn.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("ccp_session=")).findFirst()
                .orElseThrow().split(";", 2)[0];
    }

    static void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(Http.body(response).get("detail").asText()).contains(detail);
    }
}
