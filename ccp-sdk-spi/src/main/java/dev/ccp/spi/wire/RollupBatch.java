package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code POST /v1/ingest/rollups}. The org and seat come from the access token, never from here. */
public record RollupBatch(@JsonProperty("rows") List<RollupRow> rows) {
}
