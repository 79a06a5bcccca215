package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/runs/{id}/steps}: the next step of a run, as its tool proposes it.
 *
 * @param kind   {@code change}, {@code command} or {@code note}
 * @param files  for a change: workspace-relative path to the file's new content
 * @param before for a change: each file's content now, or no entry for a file the change creates;
 *               the diffs are made from it
 * @param argv   for a command: the program and its arguments
 * @param cwd    for a command: the workspace-relative folder it runs in ({@code .} when absent)
 * @param text   for a note
 */
public record StepRequest(
        @JsonProperty("kind") String kind,
        @JsonProperty("files") Map<String, String> files,
        @JsonProperty("before") Map<String, String> before,
        @JsonProperty("argv") List<String> argv,
        @JsonProperty("cwd") String cwd,
        @JsonProperty("text") String text) {
}
