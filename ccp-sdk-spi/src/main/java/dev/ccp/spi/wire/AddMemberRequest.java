package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /v1/orgs/{org}/members}.
 *
 * @param login an email address or a GitHub handle
 * @param role {@code owner}, {@code admin} or {@code member}; member when absent
 * @param seat whether the membership holds a seat; true when absent
 */
public record AddMemberRequest(
        @JsonProperty("login") String login,
        @JsonProperty("role") String role,
        @JsonProperty("seat") Boolean seat) {
}
