package dev.ccp.spi.policy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * What a policy pack binds together under one signature. Times are NumericDate (seconds since the
 * epoch) as in JWT.
 *
 * @param iss the server's public URL
 * @param org the org slug the pack is for
 * @param channel {@code dev} or {@code prod}
 * @param version the version in that org and channel; it only goes up
 * @param iat when the server signed this copy; a refreshed copy of one version has a later one
 * @param exp after this the pack is refused: a mirror that stopped updating cannot keep serving it
 * @param policy the {@code ccp.policy/v1} document
 */
public record PolicyClaims(String iss, String org, String channel, long version, long iat, long exp, JsonNode policy) {

    public PolicyClaims {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(policy, "policy");
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1, was " + version);
        }
    }

    @JsonIgnore
    public Instant issuedAt() {
        return Instant.ofEpochSecond(iat);
    }

    @JsonIgnore
    public Instant expiresAt() {
        return Instant.ofEpochSecond(exp);
    }

    /** The same version and document signed anew, with a later issue time and expiry. */
    public PolicyClaims refreshed(Instant issuedAt, Instant expiresAt) {
        return new PolicyClaims(iss, org, channel, version, issuedAt.getEpochSecond(), expiresAt.getEpochSecond(), policy);
    }
}
