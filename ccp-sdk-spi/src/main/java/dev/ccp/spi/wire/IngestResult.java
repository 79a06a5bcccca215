package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the server did with a batch, committed before it answered.
 *
 * @param stored rows that were new or carried a higher revision than the stored one
 * @param unchanged rows whose revision was not higher than the stored one
 * @param refused rows that repeated a stored revision with different totals (a client bug): kept as stored
 */
public record IngestResult(
        @JsonProperty("stored") int stored,
        @JsonProperty("unchanged") int unchanged,
        @JsonProperty("refused") int refused) {
}
