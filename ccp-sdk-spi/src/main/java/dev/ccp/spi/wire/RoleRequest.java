package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code PUT /v1/orgs/{org}/members/{login}/role}.
 *
 * @param role {@code owner}, {@code admin} or {@code member}
 */
public record RoleRequest(@JsonProperty("role") String role) {
}
