package dev.ccp.server.billing.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.ccp.server.license.control.Plans;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolarEventsTest {

    static final String SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString("polar-test-key-0123456789".getBytes(StandardCharsets.UTF_8));
    static final ProviderPlans PRODUCTS = ProviderPlans.parse("CCP_POLAR_PRODUCTS", Optional.of("prod_pro=pro, prod_team=team"),
            Plans.load(Optional.empty()));
    final PolarEvents polar = new PolarEvents(SECRET, PRODUCTS, new ProviderApi("Polar", "http://127.0.0.1:9", null), java.time.Clock.systemUTC());

    static Map<String, List<String>> headers(String id, long timestamp, String signature) {
        return Map.of("Webhook-Id", List.of(id), "Webhook-Timestamp", List.of(Long.toString(timestamp)),
                "Webhook-Signature", List.of(signature));
    }

    @Test
    void acceptsBothWaysPolarKeysTheSecret() throws Exception {
        String body = "{\"type\":\"subscription.active\"}";
        long now = Instant.now().getEpochSecond();
        polar.verify(body, headers("evt_1", now, new Webhook(SECRET).sign("evt_1", now, body)));
        polar.verify(body, headers("evt_2", now, new Webhook(SECRET.getBytes(StandardCharsets.UTF_8)).sign("evt_2", now, body)));
    }

    @Test
    void refusesAForgedATamperedAStaleAndAnUnsignedDelivery() throws Exception {
        String body = "{\"type\":\"subscription.active\"}";
        long now = Instant.now().getEpochSecond();
        String good = new Webhook(SECRET).sign("evt_1", now, body);
        assertThatThrownBy(() -> polar.verify(body, headers("evt_1", now, new Webhook("whsec_b3RoZXI=").sign("evt_1", now, body))))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> polar.verify(body.replace("active", "revoked"), headers("evt_1", now, good)))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> polar.verify(body, headers("evt_9", now, good))).as("the id is signed too")
                .isInstanceOf(WebhookVerificationException.class);
        long stale = now - 301;
        assertThatThrownBy(() -> polar.verify(body, headers("evt_1", stale, new Webhook(SECRET).sign("evt_1", stale, body))))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> polar.verify(body, Map.of())).isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void refusesADeliverySignedMoreThanFiveMinutesAhead() throws Exception {
        String body = "{\"type\":\"subscription.active\"}";
        long ahead = Instant.now().getEpochSecond() + 400;
        assertThatThrownBy(() -> polar.verify(body, headers("evt_1", ahead, new Webhook(SECRET).sign("evt_1", ahead, body))))
                .isInstanceOf(WebhookVerificationException.class).hasMessageContaining("in the future");
    }

    @Test
    void readsASubscriptionWithItsOrgPlanAndClock() throws Exception {
        Delivery d = polar.read("evt_1", """
                {"type":"subscription.canceled","timestamp":"2026-11-26T10:00:05Z","data":{"id":"sub_1","status":"active",
                 "product_id":"prod_team","seats":4,"customer_id":"cus_1","cancel_at_period_end":true,
                 "current_period_start":"2026-11-01T00:00:00Z","current_period_end":"2026-12-01T00:00:00Z",
                 "modified_at":"2026-11-26T10:00:00Z","metadata":{},"customer":{"email":"a@example.com","external_id":"org_1"}}}""");
        Snapshot s = d.snapshot();
        assertThat(s.orgId()).as("the customer's external id when metadata has no ccp_org").isEqualTo("org_1");
        assertThat(s.plan()).isEqualTo("team");
        assertThat(s.seats()).isEqualTo(4);
        assertThat(s.buyer()).as("the customer's email when no GitHub handle was given").isEqualTo("a@example.com");
        assertThat(s.version()).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(s.eventAt()).isEqualTo(Instant.parse("2026-11-26T10:00:05Z"));
        assertThat(Term.of(s, "free", 7)).isEqualTo(new Term("team", 4, Instant.parse("2026-12-01T00:00:00Z"), "canceled", null));
    }

    @Test
    void revokedRefundedOrdersAndCheckoutsAreReadForWhatTheyMean() throws Exception {
        String sub = "{\"id\":\"sub_1\",\"status\":\"canceled\",\"product_id\":\"prod_pro\",\"metadata\":{\"ccp_org\":\"org_1\"}}";
        assertThat(polar.read("e1", "{\"type\":\"subscription.revoked\",\"timestamp\":\"2026-11-26T10:00:00Z\",\"data\":" + sub + "}")
                .snapshot().status()).isEqualTo("revoked");
        Delivery refund = polar.read("e2", "{\"type\":\"order.refunded\",\"timestamp\":\"2026-11-26T10:00:00Z\",\"data\":{\"id\":\"ord_1\","
                + "\"status\":\"refunded\",\"subscription_id\":\"sub_1\",\"product_id\":\"prod_pro\",\"metadata\":{\"ccp_org\":\"org_1\"}}}");
        assertThat(refund.snapshot().status()).isEqualTo("refunded");
        assertThat(Term.of(refund.snapshot(), "free", 7).plan()).isEqualTo("free");
        assertThat(polar.read("e3", "{\"type\":\"order.refunded\",\"timestamp\":\"2026-11-26T10:00:00Z\",\"data\":{\"id\":\"ord_1\","
                + "\"status\":\"partially_refunded\",\"subscription_id\":\"sub_1\"}}").snapshot()).isNull();
        Delivery paid = polar.read("e4", "{\"type\":\"order.paid\",\"timestamp\":\"2026-11-26T10:00:00Z\",\"data\":{\"id\":\"ord_2\","
                + "\"product_id\":\"prod_pro\",\"metadata\":{\"ccp_org\":\"org_1\"},\"subscription\":{\"id\":\"sub_1\",\"status\":\"active\"}}}");
        assertThat(paid.snapshot().plan()).as("the order's product and metadata fill in").isEqualTo("pro");
        assertThat(paid.snapshot().orgId()).isEqualTo("org_1");
        Delivery withHandle = polar.read("e7", "{\"type\":\"subscription.active\",\"timestamp\":\"2026-11-26T10:00:00Z\",\"data\":"
                + "{\"id\":\"sub_2\",\"status\":\"active\",\"metadata\":{\"ccp_github\":\"octocat\"},\"customer\":{\"email\":\"a@example.com\"}}}");
        assertThat(withHandle.snapshot().buyer()).as("a GitHub handle given at checkout wins").isEqualTo("octocat");
        assertThat(polar.read("e5", "{\"type\":\"checkout.updated\",\"timestamp\":\"2026-11-26T10:00:00Z\",\"data\":{}}").snapshot()).isNull();
        assertThat(polar.read("e6", "{\"type\":\"benefit.granted\",\"timestamp\":\"2026-11-26T10:00:00Z\",\"data\":{}}").note())
                .contains("not an event");
    }

    @Test
    void productsMappedToUnknownPlansFailTheStart() {
        assertThatThrownBy(() -> ProviderPlans.parse("CCP_POLAR_PRODUCTS", Optional.of("prod_x=gold"), Plans.load(Optional.empty())))
                .hasMessageContaining("plan 'gold', which is not configured");
        assertThatThrownBy(() -> ProviderPlans.parse("CCP_POLAR_PRODUCTS", Optional.of("prod_x"), Plans.load(Optional.empty())))
                .hasMessageContaining("<id>=<plan>");
    }
}
