package dev.ccp.spi.license;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The claims of a license pack. Times are NumericDate (seconds since the epoch) as in JWT. Their JSON
 * form, with {@code refresh_after} and {@code grace_until}, is {@link LicensePackCodec}'s.
 *
 * @param iss issuer, the server's public URL
 * @param sub the user id
 * @param org the org slug the pack is for
 * @param seat the seat id inside the org
 * @param plan the plan name (free, pro, team, …)
 * @param entitlements what the plan allows: {@code zai_offload}, {@code dashboards}, {@code privacy_tier}, …
 * @param seats seats the org's plan holds
 * @param iat issued at
 * @param nbf not before
 * @param exp end of the validity window
 * @param refreshAfter when a client should fetch a fresh pack
 * @param graceUntil end of the offline grace after {@code exp}
 * @param lid license id, unique per issued pack
 * @param state the server's view of the license: {@code active}, {@code grace}, …
 * @param message a plain-words sentence for the user, may be null
 */
public record LicenseClaims(
        String iss,
        String sub,
        String org,
        String seat,
        String plan,
        Map<String, Object> entitlements,
        int seats,
        long iat,
        long nbf,
        long exp,
        long refreshAfter,
        long graceUntil,
        String lid,
        String state,
        String message) {

    public LicenseClaims {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(plan, "plan");
        entitlements = entitlements == null ? Map.of() : Map.copyOf(entitlements);
    }

    public Instant issuedAt() {
        return Instant.ofEpochSecond(iat);
    }

    public Instant notBefore() {
        return Instant.ofEpochSecond(nbf);
    }

    public Instant expiresAt() {
        return Instant.ofEpochSecond(exp);
    }

    public Instant refreshAfterInstant() {
        return Instant.ofEpochSecond(refreshAfter);
    }

    public Instant graceUntilInstant() {
        return Instant.ofEpochSecond(graceUntil);
    }
}
