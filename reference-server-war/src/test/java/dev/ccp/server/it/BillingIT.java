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
        CliEndToEndIT.loggedIn(CliEndToEndIT.login(ccp, http, login));
        String token = ccp.run("token").out().strip();

        UsageIT.assertProblem(http.json("POST", "v1/billing/checkout", token, "{\"plan\":\"pro\",\"github\":\"not a handle\"}"), 400,
                "github must be a GitHub handle");
        UsageIT.assertProblem(http.json("POST", "v1/billing/checkout", token, "{\"plan\":\"gold\"}"), 400, "cannot be bought");
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

    @Test
    void stripeEventsCheckoutAndReconciliationDriveTheLicense() throws Exception {
        Http http = new Http(base);
        Cli ccp = new Cli(home, http.base());
        CliEndToEndIT.loggedIn(CliEndToEndIT.login(ccp, http, Logins.unique("stripe")));
        String token = ccp.run("token").out().strip();

        HttpResponse<String> checkout = http.json("POST", "v1/billing/checkout", token, "{\"plan\":\"team\",\"seats\":7,\"provider\":\"stripe\"}");
        assertThat(checkout.statusCode()).as(checkout.body()).isEqualTo(200);
        assertThat(Http.body(checkout).get("url").asText()).isEqualTo("https://checkout.stripe.test/c/pay/cs_test_it");
        FakeBillingProvider.Call sent = provider.calls.get(0);
        assertThat(sent.method() + " " + sent.path()).isEqualTo("POST /v1/checkout/sessions");
        assertThat(sent.authorization()).isEqualTo("Bearer " + FakeBillingProvider.STRIPE_KEY);
        assertThat(sent.contentType()).isEqualTo("application/x-www-form-urlencoded");
        Map<String, String> form = form(sent.body());
        assertThat(form).containsEntry("mode", "subscription").containsEntry("line_items[0][price]", "price_team")
                .containsEntry("line_items[0][quantity]", "7");
        String orgId = form.get("client_reference_id");
        assertThat(form).containsEntry("metadata[ccp_org]", orgId).containsEntry("subscription_data[metadata][ccp_org]", orgId);

        Instant now = Instant.now();
        String sub = "sub_" + orgId;
        String created = stripeEvent("evt_created_" + orgId, "customer.subscription.created", now, stripeSubscription(sub, orgId, "active", now, null));
        assertThat(stripeDeliver(created, signStripe(created, now)).statusCode()).isEqualTo(200);
        JsonNode team = Http.body(http.get("v1/license/status", token));
        assertThat(team.get("plan").asText()).isEqualTo("team");
        assertThat(team.get("seats").asInt()).isEqualTo(7);

        String forged = stripeEvent("evt_forged_" + orgId, "customer.subscription.deleted", now, stripeSubscription(sub, orgId, "canceled", now, now));
        UsageIT.assertProblem(stripeDeliver(forged, "t=" + now.getEpochSecond() + ",v1=" + "0".repeat(64)), 401, "does not verify");
        UsageIT.assertProblem(stripeDeliver(forged, signStripe(forged, now.minusSeconds(301))), 401, "does not verify");

        // A failed payment: the invoice names the subscription, whose state is fetched from Stripe.
        provider.subscriptions.put(sub, stripeSubscription(sub, orgId, "past_due", now, null));
        String failed = stripeEvent("evt_failed_" + orgId, "invoice.payment_failed", now.plusSeconds(1),
                "{\"id\":\"in_1\",\"object\":\"invoice\",\"parent\":{\"subscription_details\":{\"subscription\":\"" + sub + "\"}}}");
        assertThat(stripeDeliver(failed, signStripe(failed, now)).statusCode()).isEqualTo(200);
        JsonNode grace = Http.body(http.get("v1/license/status", token));
        assertThat(grace.get("plan").asText()).isEqualTo("team");
        assertThat(grace.get("state").asText()).isEqualTo("past_due");
        assertThat(grace.get("grace_until").asText()).isNotEmpty();
        assertThat(grace.get("message").asText()).contains("did not go through").contains(http.base() + "pricing");

        // The deletion webhook never arrives; reconciliation asks Stripe and repairs it.
        provider.subscriptions.put(sub, stripeSubscription(sub, orgId, "canceled", now, now.minusSeconds(60)));
        HttpResponse<String> reconcile = http.json("POST", "v1/admin/billing/reconcile", OPERATOR, null);
        assertThat(reconcile.statusCode()).as(reconcile.body()).isEqualTo(200);
        assertThat(Http.body(reconcile).get("changed").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(Http.body(http.get("v1/license/status", token)).get("plan").asText()).isEqualTo("free");
        assertThat(http.json("POST", "v1/admin/billing/reconcile", token, null).statusCode())
                .as("members are not operators").isEqualTo(401);
    }

    static String stripeSubscription(String id, String orgId, String status, Instant now, Instant endedAt) {
        long start = now.minusSeconds(86_400).getEpochSecond();
        return "{\"id\":\"" + id + "\",\"object\":\"subscription\",\"status\":\"" + status + "\",\"customer\":\"cus_s1\","
                + "\"cancel_at_period_end\":false,\"ended_at\":" + (endedAt == null ? "null" : endedAt.getEpochSecond()) + ","
                + "\"metadata\":{\"ccp_org\":\"" + orgId + "\"},\"items\":{\"object\":\"list\",\"data\":[{\"id\":\"si_1\","
                + "\"quantity\":7,\"price\":{\"id\":\"price_team\"},\"current_period_start\":" + start
                + ",\"current_period_end\":" + (start + 30L * 86_400) + "}]}}";
    }

    static String stripeEvent(String id, String type, Instant created, String object) {
        return "{\"id\":\"" + id + "\",\"object\":\"event\",\"type\":\"" + type + "\",\"created\":" + created.getEpochSecond()
                + ",\"data\":{\"object\":" + object + "}}";
    }

    static String signStripe(String body, Instant at) throws Exception {
        String signed = at.getEpochSecond() + "." + body;
        return "t=" + at.getEpochSecond() + ",v1=" + com.stripe.net.Webhook.Util.computeHmacSha256("whsec_stripe_it_secret", signed);
    }

    private HttpResponse<String> stripeDeliver(String body, String signature) {
        Http http = new Http(base);
        return http.send(HttpRequest.newBuilder(http.uri("v1/webhooks/stripe")).header("Content-Type", "application/json")
                .header("Stripe-Signature", signature).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            fields.put(java.net.URLDecoder.decode(kv[0], java.nio.charset.StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
        }
        return fields;
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
