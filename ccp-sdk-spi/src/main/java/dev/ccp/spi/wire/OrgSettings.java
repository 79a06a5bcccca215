package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code PATCH /v1/orgs/{org}}: settings owners and admins may change.
 *
 * @param kSafety how many distinct seats a group needs before the health views show it (at least 3)
 */
public record OrgSettings(@JsonProperty("k_safety") Integer kSafety) {
}
