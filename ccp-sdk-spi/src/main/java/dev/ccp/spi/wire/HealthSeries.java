package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One model's health over a window: the whole-window total and one cell per bucket. */
public record HealthSeries(
        @JsonProperty("model") String model,
        @JsonProperty("total") HealthCell total,
        @JsonProperty("buckets") List<HealthCell> buckets) {
}
