package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A membership of an org. {@code status} is {@code active} once the person has logged in, or
 * {@code pending} while the membership waits to be claimed at their first login.
 */
public record Member(
        @JsonProperty("login") String login,
        @JsonProperty("email") String email,
        @JsonProperty("github") String github,
        @JsonProperty("role") String role,
        @JsonProperty("seat") String seat,
        @JsonProperty("status") String status) {
}
