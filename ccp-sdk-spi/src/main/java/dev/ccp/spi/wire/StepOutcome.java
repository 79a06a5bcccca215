package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /v1/runs/{id}/steps/{n}/outcome}: what happened when a ready step was carried out.
 *
 * @param state    {@code done} or {@code failed}
 * @param exitCode for a command
 * @param output   for a command: the tail of its output (at most 64 KiB are kept)
 */
public record StepOutcome(
        @JsonProperty("state") String state,
        @JsonProperty("exit_code") Integer exitCode,
        @JsonProperty("output") String output) {
}
