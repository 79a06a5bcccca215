package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/health/models}: per model and time bucket, requests, error rate, rate-limited
 * share, p50 and p95 latency, tokens and offload share, for the caller's org. {@code all} sums every
 * model. A group is shown only when at least {@code k} distinct seats stand behind it.
 */
public record ModelHealthResponse(
        @JsonProperty("org") String org,
        @JsonProperty("window") String window,
        @JsonProperty("bucket_seconds") long bucketSeconds,
        @JsonProperty("k") int k,
        @JsonProperty("from") Instant from,
        @JsonProperty("to") Instant to,
        @JsonProperty("models") List<HealthSeries> models,
        @JsonProperty("all") HealthSeries all) {
}
