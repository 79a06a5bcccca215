package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * One minimized usage row: the client's cumulative totals for one (UTC hour, model) on one seat.
 * {@code revision} goes up each time the client's totals for that hour and model change; the server
 * keeps the row with the highest revision, so sending a row again, or late, changes nothing.
 *
 * @param hour the start of the UTC hour, on the hour
 * @param latencyHistogram counts per {@link dev.ccp.spi.usage.LatencyBuckets} bucket
 */
public record RollupRow(
        @JsonProperty("hour") Instant hour,
        @JsonProperty("model") String model,
        @JsonProperty("revision") long revision,
        @JsonProperty("requests") long requests,
        @JsonProperty("errors") long errors,
        @JsonProperty("rate_limited") long rateLimited,
        @JsonProperty("offloaded") long offloaded,
        @JsonProperty("tokens_in") long tokensIn,
        @JsonProperty("tokens_out") long tokensOut,
        @JsonProperty("latency_histogram") List<Long> latencyHistogram) {
}
