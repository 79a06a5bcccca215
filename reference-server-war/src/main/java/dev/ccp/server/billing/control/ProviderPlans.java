package dev.ccp.server.billing.control;

import dev.ccp.server.license.control.Plans;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which plan a provider's product (Polar) or price (Stripe) buys, from configuration such as
 * {@code CCP_POLAR_PRODUCTS=prod_1=pro,prod_2=team}. A mapping to a plan that does not exist fails
 * the start, not the first payment.
 */
public final class ProviderPlans {

    private final Map<String, String> planOf;

    private ProviderPlans(Map<String, String> planOf) {
        this.planOf = Map.copyOf(planOf);
    }

    /**
     * @param name the setting's name, for the error
     * @param text {@code <id>=<plan>,…}; empty maps nothing
     */
    public static ProviderPlans parse(String name, Optional<String> text, Plans plans) {
        Map<String, String> planOf = new LinkedHashMap<>();
        for (String entry : text.orElse("").split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.split("=", 2);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new IllegalStateException(name + " must be <id>=<plan>,…; '" + entry.strip() + "' is not");
            }
            String plan = parts[1].strip();
            if (plans.find(plan).isEmpty()) {
                throw new IllegalStateException(name + " maps " + parts[0].strip() + " to plan '" + plan + "', which is not configured");
            }
            planOf.put(parts[0].strip(), plan);
        }
        return new ProviderPlans(planOf);
    }

    /** The plan an id buys; null when it buys none this server knows. */
    public String planOf(String id) {
        return id == null ? null : planOf.get(id);
    }

    /** The product or price that buys a plan, for checkout. */
    public Optional<String> idFor(String plan) {
        return planOf.entrySet().stream().filter(e -> e.getValue().equals(plan)).map(Map.Entry::getKey).findFirst();
    }
}
