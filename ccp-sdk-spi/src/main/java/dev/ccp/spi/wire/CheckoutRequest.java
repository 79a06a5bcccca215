package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /v1/billing/checkout}: buy a plan for the caller's org.
 *
 * @param plan     the plan to buy, e.g. {@code pro} or {@code team}
 * @param seats    seats to buy (team plans); the plan's seats when absent
 * @param provider {@code polar} or {@code stripe}; the server's default when absent
 * @param github   a GitHub handle the purchase maps to, instead of the buyer's email
 */
public record CheckoutRequest(
        @JsonProperty("plan") String plan,
        @JsonProperty("seats") Integer seats,
        @JsonProperty("provider") String provider,
        @JsonProperty("github") String github) {
}
