package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * Something that happened to a run, numbered from 1 in the order it happened.
 *
 * @param type    {@code created}, {@code step} (proposed), {@code decided}, {@code outcome},
 *                {@code progress}, {@code state} or {@code committed}
 * @param step    the step's number, for the step events
 * @param state   the run's state, or for a step event the step's, after the event
 * @param message for a person: the progress message, the decision and who made it, the commit
 */
public record RunEvent(
        @JsonProperty("seq") long seq,
        @JsonProperty("at") Instant at,
        @JsonProperty("type") String type,
        @JsonProperty("step") Integer step,
        @JsonProperty("state") String state,
        @JsonProperty("message") String message) {
}
