package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;

/** {@code GET /v1/license/status}: the server's current view of the caller's license. */
public record LicenseStatusResponse(
        @JsonProperty("org") String org,
        @JsonProperty("seat") String seat,
        @JsonProperty("plan") String plan,
        @JsonProperty("entitlements") Map<String, Object> entitlements,
        @JsonProperty("seats") int seats,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("grace_until") Instant graceUntil,
        @JsonProperty("state") String state,
        @JsonProperty("message") String message) {
}
