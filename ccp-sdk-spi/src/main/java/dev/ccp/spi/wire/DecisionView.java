package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;

/**
 * How a step was decided: the first decision, which no later one replaces.
 *
 * @param decision {@code approve}, {@code edit} (approved with other content) or {@code reject}
 * @param by       who decided (email or GitHub handle)
 * @param via      {@code terminal}, {@code editor}, {@code web} or {@code chat}
 * @param files    for {@code edit}: the content that was approved in place of the proposed one
 */
public record DecisionView(
        @JsonProperty("decision") String decision,
        @JsonProperty("by") String by,
        @JsonProperty("at") Instant at,
        @JsonProperty("via") String via,
        @JsonProperty("files") Map<String, String> files) {
}
