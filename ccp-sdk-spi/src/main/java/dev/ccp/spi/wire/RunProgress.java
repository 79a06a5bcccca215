package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /v1/runs/{id}/progress}: what a run is doing now, for the people following it. */
public record RunProgress(
        @JsonProperty("phase") String phase,
        @JsonProperty("message") String message) {
}
