package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /v1/runs/{id}/finish}: the end of a run.
 *
 * @param state   {@code succeeded}, {@code failed} or {@code cancelled}
 * @param commit  the commit that holds the run's accepted changes, when there is one
 * @param message why it failed or was cancelled, for a person
 */
public record RunFinish(
        @JsonProperty("state") String state,
        @JsonProperty("commit") String commit,
        @JsonProperty("message") String message) {
}
