package dev.ccp.sdk;

import dev.ccp.spi.license.LicenseClaims;
import dev.ccp.spi.license.LicenseStatus;
import dev.ccp.spi.license.Verification;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.HashSet;
import java.util.function.Function;

/**
 * A license pack as verified offline: a value, never an exception. Only {@link LicenseStatus#VALID}
 * and {@link LicenseStatus#GRACE} grant anything; for every other status {@link #entitled} is false
 * and {@link #entitlement} is empty, though {@link #claims()} may still say what the pack held.
 *
 * <p>{@link #entitled} is meant for hot paths: the answers are worked out once, when the value is made.
 */
public final class License {

    private final LicenseStatus status;
    private final LicenseClaims claims;
    private final String detail;
    private final Set<String> entitled;

    private License(LicenseStatus status, LicenseClaims claims, String detail) {
        this.status = Objects.requireNonNull(status, "status");
        this.claims = claims;
        this.detail = detail == null ? status.name().toLowerCase(Locale.ROOT) : detail;
        this.entitled = status.grants() && claims != null ? grantedNames(claims.entitlements()) : Set.of();
    }

    public static License of(Verification verification) {
        return new License(verification.status(), verification.claims(), verification.detail());
    }

    /** No pack at all, with why. */
    public static License missing(String detail) {
        return new License(LicenseStatus.MISSING, null, detail);
    }

    public LicenseStatus status() {
        return status;
    }

    /** Whether the pack grants its entitlements now (valid, or expired but in grace). */
    public boolean granted() {
        return status.grants();
    }

    /** The verified claims; null when the signature did not check out or there is no pack. */
    public LicenseClaims claims() {
        return claims;
    }

    /**
     * Whether the named entitlement is on: the pack grants, and the entitlement is {@code true} or a
     * non-empty string other than {@code none}.
     */
    public boolean entitled(String name) {
        return entitled.contains(name);
    }

    /** The entitlement's value as text, when the pack grants and holds it. */
    public Optional<String> entitlement(String name) {
        if (!status.grants() || claims == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(claims.entitlements().get(name)).map(String::valueOf);
    }

    public Optional<String> plan() {
        return claim(LicenseClaims::plan);
    }

    public Optional<String> org() {
        return claim(LicenseClaims::org);
    }

    public Optional<String> seat() {
        return claim(LicenseClaims::seat);
    }

    public Optional<Instant> expiresAt() {
        return claim(LicenseClaims::expiresAt);
    }

    public Optional<Instant> graceUntil() {
        return claim(LicenseClaims::graceUntilInstant);
    }

    /** When a fresh pack should be fetched. */
    public Optional<Instant> refreshAfter() {
        return claim(LicenseClaims::refreshAfterInstant);
    }

    /** One sentence saying why the status is what it is. */
    public String detail() {
        return detail;
    }

    private <T> Optional<T> claim(Function<LicenseClaims, T> getter) {
        return claims == null ? Optional.empty() : Optional.ofNullable(getter.apply(claims));
    }

    private static Set<String> grantedNames(Map<String, Object> entitlements) {
        Set<String> names = new HashSet<>();
        entitlements.forEach((name, value) -> {
            if (Boolean.TRUE.equals(value)
                    || value instanceof String s && !s.isEmpty() && !s.equalsIgnoreCase("none")) {
                names.add(name);
            }
        });
        return Set.copyOf(names);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof License other && status == other.status
                && Objects.equals(claims, other.claims) && detail.equals(other.detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, claims, detail);
    }

    @Override
    public String toString() {
        return "License[" + status + (claims == null ? "" : ", org=" + claims.org() + ", plan=" + claims.plan()) + "]";
    }
}
