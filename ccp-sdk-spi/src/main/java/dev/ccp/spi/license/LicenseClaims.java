package dev.ccp.spi.license;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The claims of a license pack. Times are NumericDate (seconds since the epoch) as in JWT.
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
@JsonInclude(JsonInclude.Include.NON_NULL)
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
        @JsonProperty("refresh_after") long refreshAfter,
        @JsonProperty("grace_until") long graceUntil,
        String lid,
        String state,
        String message) {

    public LicenseClaims {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(plan, "plan");
        entitlements = entitlements == null ? Map.of() : Map.copyOf(entitlements);
    }

    @JsonIgnore
    public Instant issuedAt() {
        return Instant.ofEpochSecond(iat);
    }

    @JsonIgnore
    public Instant notBefore() {
        return Instant.ofEpochSecond(nbf);
    }

    @JsonIgnore
    public Instant expiresAt() {
        return Instant.ofEpochSecond(exp);
    }

    @JsonIgnore
    public Instant refreshAfterInstant() {
        return Instant.ofEpochSecond(refreshAfter);
    }

    @JsonIgnore
    public Instant graceUntilInstant() {
        return Instant.ofEpochSecond(graceUntil);
    }
}
