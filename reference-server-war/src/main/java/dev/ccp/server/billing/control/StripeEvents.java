package dev.ccp.server.billing.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.server.platform.HmacSha256;
import dev.ccp.server.platform.Ids;
import dev.ccp.spi.wire.Json;
import java.io.IOException;
import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Stripe's webhooks ({@code Stripe-Signature}, checked as Stripe documents it, within {@link Freshness})
 * and its subscription objects, read into snapshots. Stripe subscriptions carry no modification
 * time, so they are ordered by the event's {@code created}, and a subscription fetched from the API
 * by the time it was fetched.
 */
public final class StripeEvents {

    public static final String PROVIDER = "stripe";

    private final String secret;
    private final ProviderPlans prices;
    private final ProviderApi api;
    private final Clock clock;

    public StripeEvents(String secret, ProviderPlans prices, ProviderApi api, Clock clock) {
        this.secret = secret;
        this.prices = prices;
        this.api = api;
        this.clock = clock;
    }

    public boolean configured() {
        return secret != null;
    }

    /** A delivery whose {@code Stripe-Signature} does not verify; the message says why. */
    public static final class Unverified extends Exception {

        private static final long serialVersionUID = 1L;

        Unverified(String message) {
            super(message);
        }
    }

    /**
     * Checks a delivery as Stripe documents it: the header is {@code t=<unix seconds>} and one or more
     * {@code v1=<hex>} (more while a secret is rolled), each the HMAC-SHA256, keyed with the endpoint
     * secret as written, of {@code <t>.<body>}. Other schemes ({@code v0}) are ignored.
     *
     * @throws Unverified when the header is missing or malformed, no v1 signature matches, or its
     *         timestamp is more than five minutes off in either direction
     */
    public void verify(String body, String signatureHeader) throws Unverified {
        if (signatureHeader == null) {
            throw new Unverified("no Stripe-Signature header");
        }
        String timestamp = null;
        List<String> signatures = new ArrayList<>();
        for (String part : signatureHeader.split(",")) {
            String item = part.strip();
            if (item.startsWith("t=") && timestamp == null) {
                timestamp = item.substring(2);
            } else if (item.startsWith("v1=")) {
                signatures.add(item.substring(3));
            }
        }
        java.util.Optional<String> stale = Freshness.refusal(timestamp, clock.instant());
        if (stale.isPresent()) {
            throw new Unverified("the Stripe-Signature is refused: " + stale.get());
        }
        if (signatures.isEmpty()) {
            throw new Unverified("the Stripe-Signature header has no v1 signature");
        }
        String expected = new HmacSha256(secret).hex((timestamp + ".").getBytes(StandardCharsets.UTF_8),
                body.getBytes(StandardCharsets.UTF_8));
        boolean matched = false;
        for (String signature : signatures) {
            // Every candidate is compared, in constant time, so the time taken tells nothing.
            matched |= Ids.constantTimeEquals(expected, signature);
        }
        if (!matched) {
            throw new Unverified("no v1 signature of the Stripe-Signature matches this body");
        }
    }

    /**
     * Reads a verified delivery. Events that name a subscription without carrying it (a completed
     * checkout, an invoice) fetch its current state from Stripe when an API key is configured.
     */
    public Delivery read(String body) throws IOException {
        JsonNode event = Json.lenient().readTree(body);
        String id = PolarEvents.text(event, "id");
        String type = event.path("type").asText("");
        if (id == null || !event.path("created").canConvertToLong()) {
            throw new IOException("the event has no id or no created time");
        }
        Instant at = Instant.ofEpochSecond(event.path("created").asLong());
        JsonNode object = event.path("data").path("object");
        return switch (type) {
            case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted" ->
                    new Delivery(id, type, subscription(object, at, null), null);
            case "checkout.session.completed" -> fetched(id, type, PolarEvents.text(object, "subscription"),
                    PolarEvents.text(object, "client_reference_id") != null ? PolarEvents.text(object, "client_reference_id")
                            : PolarEvents.text(object.path("metadata"), "ccp_org"));
            case "invoice.paid", "invoice.payment_failed" -> fetched(id, type, invoiceSubscription(object), null);
            default -> Delivery.noted(id, type, "not an event this server acts on");
        };
    }

    private Delivery fetched(String id, String type, String subscriptionId, String org) {
        if (subscriptionId == null) {
            return Delivery.noted(id, type, "names no subscription");
        }
        if (!api.configured()) {
            return Delivery.noted(id, type, "no CCP_STRIPE_KEY to fetch subscription " + subscriptionId + "; its own events will follow");
        }
        return new Delivery(id, type, fetch(subscriptionId, org), null);
    }

    /** The subscription as Stripe holds it now; {@code org} fills in when its metadata lacks one. */
    public Snapshot fetch(String subscriptionId, String org) {
        return subscription(api.get("/v1/subscriptions/" + subscriptionId), clock.instant(), org);
    }

    Snapshot subscription(JsonNode s, Instant at, String org) {
        JsonNode item = s.path("items").path("data").path(0);
        String metaOrg = PolarEvents.text(s.path("metadata"), "ccp_org");
        JsonNode customer = s.path("customer");
        return new Snapshot(PROVIDER, s.path("id").asText(), metaOrg != null ? metaOrg : org,
                customer.isTextual() ? customer.asText() : PolarEvents.text(customer, "id"),
                PolarEvents.buyer(s),
                s.path("status").asText("unknown"), prices.planOf(PolarEvents.text(item.path("price"), "id")),
                item.path("quantity").canConvertToInt() && item.path("quantity").asInt() > 0 ? item.path("quantity").asInt() : null,
                // Since API version 2025-03-31 the period is on the items; older versions keep it on the subscription.
                epoch(item.has("current_period_start") ? item.path("current_period_start") : s.path("current_period_start")),
                epoch(item.has("current_period_end") ? item.path("current_period_end") : s.path("current_period_end")),
                s.path("cancel_at_period_end").asBoolean(false),
                epoch(s.path("ended_at")) != null ? epoch(s.path("ended_at")) : epoch(s.path("cancel_at")),
                null, at);
    }

    private static String invoiceSubscription(JsonNode invoice) {
        String direct = PolarEvents.text(invoice, "subscription");
        return direct != null ? direct : PolarEvents.text(invoice.path("parent").path("subscription_details"), "subscription");
    }

    private static Instant epoch(JsonNode node) {
        return node.canConvertToLong() && !node.isNull() ? Instant.ofEpochSecond(node.asLong()) : null;
    }
}
