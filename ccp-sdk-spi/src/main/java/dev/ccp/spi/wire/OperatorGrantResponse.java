package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** The grant as recorded. */
public record OperatorGrantResponse(
        @JsonProperty("id") String id,
        @JsonProperty("org") String org,
        @JsonProperty("plan") String plan,
        @JsonProperty("seats") int seats,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("cause") String cause,
        @JsonProperty("granted_at") Instant grantedAt) {
}
