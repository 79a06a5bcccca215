package dev.ccp.server.license.control;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ccp.server.org.entity.Org;
import dev.ccp.spi.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The plans on sale and what each entitles, from configuration: {@code CCP_PLANS_FILE}, else the
 * {@code ccp/plans.json} shipped in the WAR. A {@code free} plan must exist: it is where every org
 * starts and where it falls back to.
 */
public final class Plans {

    public static final String FREE = Org.FIRST_PLAN;

    /** One plan. */
    public record Plan(String name, String title, int seats, Map<String, Object> entitlements) {
        public Plan {
            entitlements = Map.copyOf(entitlements);
        }

        /** Whether this plan turns the named entitlement on. */
        public boolean includes(String entitlement) {
            Object value = entitlements.get(entitlement);
            return Boolean.TRUE.equals(value) || (value instanceof String s && !s.isEmpty() && !"none".equals(s));
        }
    }

    private record PlanFile(String title, int seats, Map<String, Object> entitlements) {
    }

    private final Map<String, Plan> plans;

    public Plans(Map<String, Plan> plans) {
        if (!plans.containsKey(FREE)) {
            throw new IllegalStateException("the plans configuration must define a 'free' plan");
        }
        this.plans = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(plans));
    }

    public static Plans load(Optional<Path> file) {
        try (InputStream in = file.isPresent() ? Files.newInputStream(file.get()) : Plans.class.getResourceAsStream("/ccp/plans.json")) {
            if (in == null) {
                throw new IllegalStateException("ccp/plans.json is missing from the server");
            }
            Map<String, PlanFile> raw = Json.strict().readValue(in, new TypeReference<LinkedHashMap<String, PlanFile>>() { });
            Map<String, Plan> plans = new LinkedHashMap<>();
            raw.forEach((name, p) -> {
                if (p.seats() < 1) {
                    throw new IllegalStateException("plan " + name + " must have at least one seat");
                }
                plans.put(name, new Plan(name, p.title() == null ? name : p.title(), p.seats(),
                        p.entitlements() == null ? Map.of() : p.entitlements()));
            });
            return new Plans(plans);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the plans configuration: " + e.getMessage(), e);
        }
    }

    public Optional<Plan> find(String name) {
        return Optional.ofNullable(name == null ? null : plans.get(name));
    }

    public Plan get(String name) {
        return find(name).orElseGet(() -> plans.get(FREE));
    }

    public Plan free() {
        return plans.get(FREE);
    }

    public java.util.Collection<Plan> all() {
        return plans.values();
    }

    /** The first plan, in configuration order, that includes an entitlement: what to suggest on a paywall. */
    public Optional<Plan> cheapestWith(String entitlement) {
        return plans.values().stream().filter(p -> p.includes(entitlement)).findFirst();
    }
}
