package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One version of an org's policy in a channel: the answer to a publish or a promotion, and an entry
 * of {@code GET /v1/admin/policies/{channel}}.
 *
 * @param digest       SHA-256 of the canonical document, hex
 * @param publishedBy  who published it (email or GitHub handle)
 * @param promotedFrom the {@code dev} version a {@code prod} version was promoted from, else null
 * @param created      on a publish: false when the document equals the current one, so no version was made
 */
public record PolicyVersionView(
        @JsonProperty("channel") String channel,
        @JsonProperty("version") long version,
        @JsonProperty("digest") String digest,
        @JsonProperty("published_at") Instant publishedAt,
        @JsonProperty("published_by") String publishedBy,
        @JsonProperty("promoted_from") Long promotedFrom,
        @JsonProperty("created") Boolean created) {
}
