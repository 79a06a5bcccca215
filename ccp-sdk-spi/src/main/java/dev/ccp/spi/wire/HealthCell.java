package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * Model health figures for one cell: a model (or all models) over one time bucket (or the whole
 * window). A suppressed cell has too few seats behind it, or would let a suppressed one be worked
 * out by subtraction: it says so and carries no figures. A cell no usage row reached is not
 * suppressed and carries no figures either: nothing was sent for it, which is not zero requests.
 */
public record HealthCell(
        @JsonProperty("start") Instant start,
        @JsonProperty("suppressed") boolean suppressed,
        @JsonProperty("requests") Long requests,
        @JsonProperty("error_rate") Double errorRate,
        @JsonProperty("rate_limited_share") Double rateLimitedShare,
        @JsonProperty("p50_ms") Long p50Ms,
        @JsonProperty("p95_ms") Long p95Ms,
        @JsonProperty("tokens_in") Long tokensIn,
        @JsonProperty("tokens_out") Long tokensOut,
        @JsonProperty("offload_share") Double offloadShare) {

    public static HealthCell suppressed(Instant start) {
        return new HealthCell(start, true, null, null, null, null, null, null, null, null);
    }

    public static HealthCell noData(Instant start) {
        return new HealthCell(start, false, null, null, null, null, null, null, null, null);
    }
}
