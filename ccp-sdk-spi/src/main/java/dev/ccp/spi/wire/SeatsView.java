package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code GET /v1/orgs/{org}/seats}: the seats an org's plan holds and how many are taken.
 *
 * @param org the org's slug
 * @param plan the plan in force
 * @param seats the seats it holds
 * @param seatsUsed the seats members hold, including those waiting for someone's first login
 */
public record SeatsView(
        @JsonProperty("org") String org,
        @JsonProperty("plan") String plan,
        @JsonProperty("seats") int seats,
        @JsonProperty("seats_used") int seatsUsed) {
}
