package dev.ccp.server.billing.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.spi.wire.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Creates checkouts through the provider: Polar's {@code POST /v1/checkouts/} or a Stripe Checkout
 * Session. Both carry the org's id (as the external customer id, in metadata, and for Stripe as the
 * client reference), so the webhooks that follow find the org.
 */
public final class Checkouts {

    /** What a checkout is for. */
    public record Order(String orgId, String userId, String email, String github, String plan, Integer seats, String successUrl) {
    }

    private final ProviderApi polar;
    private final ProviderPlans polarProducts;
    private final ProviderApi stripe;
    private final ProviderPlans stripePrices;
    private final String defaultProvider;

    public Checkouts(ProviderApi polar, ProviderPlans polarProducts, ProviderApi stripe, ProviderPlans stripePrices, String defaultProvider) {
        this.polar = polar;
        this.polarProducts = polarProducts;
        this.stripe = stripe;
        this.stripePrices = stripePrices;
        this.defaultProvider = defaultProvider;
    }

    /** @return the provider's checkout URL */
    public String create(Order order, String provider) {
        String chosen = provider == null ? defaultProvider : provider;
        return switch (chosen) {
            case "polar" -> polar(order);
            case "stripe" -> stripe(order);
            default -> throw ProblemException.badRequest("provider must be polar or stripe, was '" + chosen + "'");
        };
    }

    private String polar(Order order) {
        String product = idFor(polarProducts, order.plan(), "Polar");
        ObjectNode body = Json.lenient().createObjectNode();
        body.putArray("products").add(product);
        if (order.email() != null) {
            body.put("customer_email", order.email());
        }
        body.put("external_customer_id", order.orgId());
        body.put("success_url", order.successUrl());
        ObjectNode metadata = body.putObject("metadata");
        metadata(order).forEach(metadata::put);
        JsonNode answer = polar.post("/v1/checkouts/", "application/json", body.toString());
        return url(answer, "Polar");
    }

    private String stripe(Order order) {
        String price = idFor(stripePrices, order.plan(), "Stripe");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("mode", "subscription");
        form.put("line_items[0][price]", price);
        form.put("line_items[0][quantity]", Integer.toString(order.seats() == null ? 1 : order.seats()));
        form.put("client_reference_id", order.orgId());
        if (order.email() != null) {
            form.put("customer_email", order.email());
        }
        form.put("success_url", order.successUrl());
        metadata(order).forEach((k, v) -> {
            form.put("metadata[" + k + "]", v);
            form.put("subscription_data[metadata][" + k + "]", v);
        });
        String encoded = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return url(stripe.post("/v1/checkout/sessions", "application/x-www-form-urlencoded", encoded), "Stripe");
    }

    private static Map<String, String> metadata(Order order) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("ccp_org", order.orgId());
        metadata.put("ccp_user", order.userId());
        metadata.put("ccp_plan", order.plan());
        if (order.seats() != null) {
            metadata.put("ccp_seats", Integer.toString(order.seats()));
        }
        if (order.github() != null) {
            metadata.put("ccp_github", order.github());
        }
        return metadata;
    }

    private static String idFor(ProviderPlans plans, String plan, String provider) {
        return plans.idFor(plan).orElseThrow(() -> ProblemException.badRequest(
                "the " + plan + " plan cannot be bought through " + provider + " on this server; see /pricing for the plans on sale"));
    }

    private static String url(JsonNode answer, String provider) {
        String url = answer.path("url").asText(null);
        if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
            throw new ProblemException(502, "billing-provider", "Billing provider failed", provider + " answered a checkout without a URL");
        }
        return url;
    }
}
