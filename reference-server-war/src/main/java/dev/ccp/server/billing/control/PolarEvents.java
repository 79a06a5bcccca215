package dev.ccp.server.billing.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.ccp.spi.wire.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Polar's webhooks (Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp},
 * {@code webhook-signature}) and its subscription objects, read into snapshots.
 */
public final class PolarEvents {

    public static final String PROVIDER = "polar";

    private final List<Webhook> verifiers = new ArrayList<>();
    private final ProviderPlans products;
    private final ProviderApi api;
    private final java.time.Clock clock;

    /**
     * @param secret the endpoint's {@code whsec_…} secret. Polar has keyed the HMAC both with the
     *               base64-decoded part after the prefix and with the bytes of the whole string;
     *               both are accepted.
     */
    public PolarEvents(String secret, ProviderPlans products, ProviderApi api, java.time.Clock clock) {
        this.products = products;
        this.api = api;
        this.clock = clock;
        if (secret != null) {
            try {
                verifiers.add(new Webhook(secret));
            } catch (IllegalArgumentException | EmptyWebhookSecretException notBase64) {
                // only the raw form applies
            }
            try {
                verifiers.add(new Webhook(secret.getBytes(StandardCharsets.UTF_8)));
            } catch (EmptyWebhookSecretException e) {
                throw new IllegalStateException("CCP_POLAR_WEBHOOK_SECRET is empty", e);
            }
        }
    }

    public boolean configured() {
        return !verifiers.isEmpty();
    }

    /**
     * Checks that the timestamp is within {@link Freshness} of the server's clock, then the signature
     * (compared in constant time by the library).
     *
     * @throws WebhookVerificationException with the reason, when neither key verifies
     */
    public void verify(String body, Map<String, List<String>> headers) throws WebhookVerificationException {
        Map<String, List<String>> h = new java.util.HashMap<>();
        headers.forEach((name, values) -> h.put(name.toLowerCase(java.util.Locale.ROOT), values));
        List<String> timestamp = h.getOrDefault("webhook-timestamp", List.of());
        java.util.Optional<String> stale = Freshness.refusal(timestamp.size() == 1 ? timestamp.get(0) : null, clock.instant());
        if (stale.isPresent()) {
            throw new WebhookVerificationException("the delivery is refused: " + stale.get());
        }
        WebhookVerificationException last = new WebhookVerificationException("no webhook secret is configured");
        for (Webhook verifier : verifiers) {
            try {
                verifier.verify(body, h);
                return;
            } catch (WebhookVerificationException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Reads a verified delivery; the event id is the {@code webhook-id} header. */
    public Delivery read(String eventId, String body) throws IOException {
        JsonNode event = Json.lenient().readTree(body);
        String type = event.path("type").asText("");
        Instant at = instant(event.path("timestamp"));
        if (at == null) {
            throw new IOException("the event has no timestamp");
        }
        JsonNode data = event.path("data");
        return switch (type) {
            case "subscription.created", "subscription.active", "subscription.updated", "subscription.canceled",
                    "subscription.uncanceled", "subscription.past_due" -> new Delivery(eventId, type, subscription(data, at, null), null);
            case "subscription.revoked" -> new Delivery(eventId, type, subscription(data, at, "revoked"), null);
            case "order.paid" -> data.path("subscription").has("status")
                    ? new Delivery(eventId, type, subscription(withOrder(data.path("subscription"), data), at, null), null)
                    : Delivery.noted(eventId, type, "an order without a subscription buys no plan");
            case "order.refunded" -> !"refunded".equals(data.path("status").asText()) || text(data, "subscription_id") == null
                    ? Delivery.noted(eventId, type, "a partial refund, or one of an order without a subscription, changes no plan")
                    : new Delivery(eventId, type, refunded(data, at), null);
            case "checkout.updated" -> Delivery.noted(eventId, type, "a checkout changes no plan; its subscription's events do");
            default -> Delivery.noted(eventId, type, "not an event this server acts on");
        };
    }

    /** The subscription as Polar holds it now ({@code GET /v1/subscriptions/{id}}). */
    public Snapshot fetch(String subscriptionId, Instant now) {
        return subscription(api.get("/v1/subscriptions/" + subscriptionId), now, null);
    }

    /** A subscription as Polar's API and webhooks carry it, as of {@code at}. */
    public Snapshot subscription(JsonNode s, Instant at, String statusOverride) {
        return new Snapshot(PROVIDER, s.path("id").asText(), org(s), text(s, "customer_id"), buyer(s),
                statusOverride != null ? statusOverride : s.path("status").asText("unknown"),
                products.planOf(text(s, "product_id")),
                s.path("seats").isInt() ? s.path("seats").asInt() : null,
                instant(s.path("current_period_start")), instant(s.path("current_period_end")),
                s.path("cancel_at_period_end").asBoolean(false),
                instant(s.path("ended_at")) != null ? instant(s.path("ended_at")) : instant(s.path("ends_at")),
                instant(s.path("modified_at")), at);
    }

    private Snapshot refunded(JsonNode order, Instant at) {
        Instant modified = instant(order.path("modified_at"));
        return new Snapshot(PROVIDER, text(order, "subscription_id"), org(order), text(order, "customer_id"),
                buyer(order), "refunded", products.planOf(text(order, "product_id")), null,
                null, null, false, null, modified, at);
    }

    /** An order's nested subscription, with the order's product, customer and metadata where it lacks them. */
    private static JsonNode withOrder(JsonNode subscription, JsonNode order) {
        var copy = subscription.deepCopy();
        if (copy instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            for (String field : List.of("product_id", "customer_id", "customer", "metadata")) {
                if (!o.hasNonNull(field) && order.hasNonNull(field)) {
                    o.set(field, order.get(field));
                }
            }
        }
        return copy;
    }

    /** Who bought it: the GitHub handle given at checkout, else the customer's email. */
    static String buyer(JsonNode node) {
        String github = text(node.path("metadata"), "ccp_github");
        return github != null ? github : text(node.path("customer"), "email");
    }

    /** The org: {@code metadata.ccp_org} set at checkout, else the customer's external id. */
    private static String org(JsonNode node) {
        String org = text(node.path("metadata"), "ccp_org");
        return org != null ? org : text(node.path("customer"), "external_id");
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    static Instant instant(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(node.asText()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
