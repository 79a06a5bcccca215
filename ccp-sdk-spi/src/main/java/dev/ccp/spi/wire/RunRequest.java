package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /v1/runs}: a run a tool starts now (it proposes the steps itself), or, with
 * {@code recipe}, a run queued for the org's runner of that workspace.
 *
 * @param approval {@code all}, {@code policy} (the default) or {@code none}
 * @param source   where it was started from: {@code terminal}, {@code editor}, {@code web}, {@code chat} or {@code api}
 * @param recipe   the recipe's name under {@code .ccp/recipes/} for a queued run; null for a live one
 */
public record RunRequest(
        @JsonProperty("title") String title,
        @JsonProperty("workspace") WorkspaceRef workspace,
        @JsonProperty("approval") String approval,
        @JsonProperty("source") String source,
        @JsonProperty("recipe") String recipe) {
}
