package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * A run: {@code GET /v1/runs/{id}}, and without its steps an entry of {@code GET /v1/runs}.
 *
 * @param state     {@code queued}, {@code running}, {@code waiting} (a step waits for a decision),
 *                  {@code succeeded}, {@code failed} or {@code cancelled}
 * @param startedBy who started it (email or GitHub handle)
 * @param phase     what it does now, as its tool last said
 * @param commit    the commit that holds its accepted changes, once made
 * @param seq       the number of its newest event: follow from here with {@code /events?after=seq}
 * @param steps     in order; absent in a list
 */
public record RunView(
        @JsonProperty("id") String id,
        @JsonProperty("title") String title,
        @JsonProperty("state") String state,
        @JsonProperty("approval") String approval,
        @JsonProperty("workspace") WorkspaceRef workspace,
        @JsonProperty("started_by") String startedBy,
        @JsonProperty("source") String source,
        @JsonProperty("recipe") String recipe,
        @JsonProperty("phase") String phase,
        @JsonProperty("message") String message,
        @JsonProperty("commit") String commit,
        @JsonProperty("seq") long seq,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt,
        @JsonProperty("steps") List<StepView> steps) {
}
