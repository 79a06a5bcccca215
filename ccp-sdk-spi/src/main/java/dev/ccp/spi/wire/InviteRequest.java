package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /v1/orgs/{org}/invites}.
 *
 * @param login an email address or GitHub handle to invite; absent to make a link instead
 * @param role {@code owner}, {@code admin} or {@code member}; member when absent
 * @param seat whether joining brings a seat; true when absent
 * @param expiresInDays how long the invite stays open, 1 to 90 days; 7 when absent
 */
public record InviteRequest(
        @JsonProperty("login") String login,
        @JsonProperty("role") String role,
        @JsonProperty("seat") Boolean seat,
        @JsonProperty("expires_in_days") Integer expiresInDays) {
}
