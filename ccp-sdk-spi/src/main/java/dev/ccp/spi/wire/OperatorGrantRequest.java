package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * {@code POST /v1/operator/orgs/{org}/license}: the vendor's staff put an org on a plan by hand.
 *
 * @param seats seats to hold; the plan's default when absent
 * @param expiresAt when the grant ends and the org falls back to what it had; never when absent
 * @param reason why (trial, comp, support ticket); recorded with the grant
 */
public record OperatorGrantRequest(
        @JsonProperty("plan") String plan,
        @JsonProperty("seats") Integer seats,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("reason") String reason) {
}
