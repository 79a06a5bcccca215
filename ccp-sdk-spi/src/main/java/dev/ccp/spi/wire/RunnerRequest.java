package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /v1/runners}: registers a runner for one workspace of the caller's org.
 *
 * @param workspace the workspace's name, as runs name it ({@code WorkspaceRef.name})
 * @param name      what people call the machine, such as {@code build-box}
 */
public record RunnerRequest(
        @JsonProperty("workspace") String workspace,
        @JsonProperty("name") String name) {
}
