package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A runner of an org.
 *
 * @param createdBy  who registered it (email or GitHub handle)
 * @param lastSeenAt when it last called the server; null before its first call
 * @param revoked    whether its token was revoked
 * @param token      its bearer token ({@code ccpr_…}), only in the answer that registered it
 */
public record RunnerView(
        @JsonProperty("id") String id,
        @JsonProperty("workspace") String workspace,
        @JsonProperty("name") String name,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("created_by") String createdBy,
        @JsonProperty("last_seen_at") Instant lastSeenAt,
        @JsonProperty("revoked") boolean revoked,
        @JsonProperty("token") String token) {
}
