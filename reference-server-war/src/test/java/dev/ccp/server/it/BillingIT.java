package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import dev.ccp.spi.wire.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Polar billing end to end: the real CLI logs in, its owner buys Pro through a checkout against a
 * local Polar fake, and signed webhooks turn the subscription into license state that
 * {@code ccp status} shows; forged, stale and replayed deliveries change nothing.
 */
class BillingIT extends ServerIT {

    /** The IT server's CCP_POLAR_WEBHOOK_SECRET. */
    static final String POLAR_SECRET = "whsec_Y2NwLWl0LXBvbGFyLXdlYmhvb2stc2VjcmV0";

    @TempDir
    Path home;
    FakeBillingProvider provider;

    @BeforeEach
    void start() throws Exception {
        provider = new FakeBillingProvider();
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    @Test
    void aPolarSubscriptionBecomesTheLicenseAndRevocationTakesItAway() throws Exception {
        Http http = new Http(base);
        Cli ccp = new Cli(home, http.base());
        String login = Logins.unique("buyer");
        assertThat(CliEndToEndIT.login(ccp, http, login).exit()).isZero();
        String token = ccp.run("token").out().strip();

        HttpResponse<String> checkout = http.json("POST", "v1/billing/checkout", token, "{\"plan\":\"pro\"}");
        assertThat(checkout.statusCode()).as(checkout.body()).isEqualTo(200);
        assertThat(Http.body(checkout).get("url").asText()).isEqualTo("https://sandbox.polar.test/checkout/chk_it");
        FakeBillingProvider.Call sent = provider.calls.get(0);
        assertThat(sent.method() + " " + sent.path()).isEqualTo("POST /v1/checkouts/");
        assertThat(sent.authorization()).isEqualTo("Bearer " + FakeBillingProvider.POLAR_TOKEN);
        JsonNode request = Json.lenient().readTree(sent.body());
        assertThat(request.get("products").get(0).asText()).isEqualTo("prod_pro");
        assertThat(request.get("customer_email").asText()).isEqualTo(login);
        String orgId = request.get("external_customer_id").asText();
        assertThat(request.get("metadata").get("ccp_org").asText()).isEqualTo(orgId);
        assertThat(request.get("success_url").asText()).startsWith(http.base());

        Instant now = Instant.now();
        String active = subscription("subscription.active", orgId, "active", now.minusSeconds(10));
        assertThat(deliver("evt_active_" + orgId, now, active).statusCode()).isEqualTo(200);
        JsonNode pro = Json.lenient().readTree(ccp.run("status", "--json").out());
        assertThat(pro.get("plan").asText()).isEqualTo("pro");
        assertThat(pro.get("entitlements").get("zai_offload").asBoolean()).isTrue();

        String revoked = subscription("subscription.revoked", orgId, "canceled", now.minusSeconds(5));
        HttpResponse<String> forged = send("evt_forged_" + orgId, now, revoked, "v1," + java.util.Base64.getEncoder()
                .encodeToString(new byte[32]));
        UsageIT.assertProblem(forged, 401, "does not verify");
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(http.uri("v1/webhooks/polar"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(revoked)));
        UsageIT.assertProblem(unsigned, 401, "does not verify");
        Instant stale = now.minusSeconds(6 * 60);
        UsageIT.assertProblem(send("evt_stale_" + orgId, stale, revoked, sign("evt_stale_" + orgId, stale, revoked)), 401, "does not verify");
        assertThat(Json.lenient().readTree(ccp.run("status", "--json").out()).get("plan").asText())
                .as("forged and stale deliveries change nothing").isEqualTo("pro");

        assertThat(deliver("evt_revoked_" + orgId, now, revoked).statusCode()).isEqualTo(200);
        JsonNode free = Json.lenient().readTree(ccp.run("status", "--json").out());
        assertThat(free.get("plan").asText()).isEqualTo("free");
        assertThat(free.get("entitlements").get("zai_offload").asBoolean()).isFalse();

        HttpResponse<String> replay = deliver("evt_active_" + orgId, now, active);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(Http.body(replay).get("outcome").asText()).startsWith("duplicate");
        String late = subscription("subscription.updated", orgId, "active", now.minusSeconds(8));
        assertThat(Http.body(deliver("evt_late_" + orgId, now, late)).get("outcome").asText()).startsWith("ignored: older");
        assertThat(Json.lenient().readTree(ccp.run("status", "--json").out()).get("plan").asText())
                .as("a replayed id and an older snapshot change nothing").isEqualTo("free");
    }

    static String subscription(String type, String orgId, String status, Instant modified) {
        Instant start = modified.minusSeconds(86_400);
        return "{\"type\":\"" + type + "\",\"timestamp\":\"" + modified + "\",\"data\":{\"id\":\"sub_" + orgId + "\",\"status\":\"" + status
                + "\",\"product_id\":\"prod_pro\",\"customer_id\":\"cus_1\",\"current_period_start\":\"" + start
                + "\",\"current_period_end\":\"" + start.plusSeconds(30L * 86_400) + "\",\"cancel_at_period_end\":false,"
                + "\"modified_at\":\"" + modified + "\",\"metadata\":{\"ccp_org\":\"" + orgId + "\"},"
                + "\"customer\":{\"id\":\"cus_1\",\"email\":\"buyer@example.com\",\"external_id\":\"" + orgId + "\"}}}";
    }

    private HttpResponse<String> deliver(String id, Instant at, String body) throws Exception {
        return send(id, at, body, sign(id, at, body));
    }

    static String sign(String id, Instant at, String body) throws Exception {
        return new Webhook(POLAR_SECRET).sign(id, at.getEpochSecond(), body);
    }

    private HttpResponse<String> send(String id, Instant at, String body, String signature) {
        Http http = new Http(base);
        return http.send(HttpRequest.newBuilder(http.uri("v1/webhooks/polar")).header("Content-Type", "application/json")
                .header("webhook-id", id).header("webhook-timestamp", Long.toString(at.getEpochSecond()))
                .header("webhook-signature", signature).POST(HttpRequest.BodyPublishers.ofString(body)));
    }
}
