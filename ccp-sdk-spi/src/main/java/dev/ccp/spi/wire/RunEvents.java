package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code GET /v1/runs/{id}/events?after=N}: the events after N, oldest first.
 *
 * @param next  what to send as {@code after} next time
 * @param state the run's state now; a client stops following once it is final
 */
public record RunEvents(
        @JsonProperty("events") List<RunEvent> events,
        @JsonProperty("next") long next,
        @JsonProperty("state") String state) {
}
