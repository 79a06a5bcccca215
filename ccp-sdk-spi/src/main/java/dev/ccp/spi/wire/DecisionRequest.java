package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * {@code POST /v1/runs/{id}/steps/{n}/decision}.
 *
 * @param decision {@code approve} or {@code reject}
 * @param files    approve with edits: new content in place of the proposed one, for some or all of
 *                 the step's files (no others)
 * @param via      where the person decided: {@code terminal}, {@code editor}, {@code web} or {@code chat}
 */
public record DecisionRequest(
        @JsonProperty("decision") String decision,
        @JsonProperty("files") Map<String, String> files,
        @JsonProperty("via") String via) {
}
