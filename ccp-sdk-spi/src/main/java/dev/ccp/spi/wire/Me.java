package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code GET /v1/me}: who the access token belongs to, the org it is for, and every org the person
 * belongs to.
 */
public record Me(
        @JsonProperty("user") String user,
        @JsonProperty("login") String login,
        @JsonProperty("email") String email,
        @JsonProperty("github") String github,
        @JsonProperty("org") String org,
        @JsonProperty("orgs") List<OrgView> orgs) {
}
