package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** An org as its members see it. */
public record OrgView(
        @JsonProperty("org") String org,
        @JsonProperty("name") String name,
        @JsonProperty("plan") String plan,
        @JsonProperty("seats") int seats,
        @JsonProperty("seats_used") int seatsUsed,
        @JsonProperty("role") String role) {
}
