package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * An invitation to an org.
 *
 * @param id the invite's id, to revoke or send it again
 * @param kind {@code login} (claimed at that person's next sign-in) or {@code link}
 * @param login who is invited; absent for a link
 * @param role the role joining gives
 * @param seat whether joining brings a seat (while one is free)
 * @param state {@code open}, {@code used}, {@code revoked} or {@code expired}
 * @param url the link to open, only in the answer that made or renewed a link: it is not stored
 */
public record InviteView(
        @JsonProperty("id") String id,
        @JsonProperty("kind") String kind,
        @JsonProperty("login") String login,
        @JsonProperty("role") String role,
        @JsonProperty("seat") boolean seat,
        @JsonProperty("state") String state,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("url") String url) {
}
