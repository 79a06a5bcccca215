package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The git workspace a run works in.
 *
 * @param name   what runners and people call it (the repository's folder name unless set); a runner
 *               token is scoped to one name
 * @param root   the repository root on the machine that started the run
 * @param branch the branch checked out at the start; null on a detached HEAD
 * @param head   the commit HEAD pointed at when the run started
 */
public record WorkspaceRef(
        @JsonProperty("name") String name,
        @JsonProperty("root") String root,
        @JsonProperty("branch") String branch,
        @JsonProperty("head") String head) {
}
