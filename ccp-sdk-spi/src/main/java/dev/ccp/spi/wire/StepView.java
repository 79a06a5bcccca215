package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A step of a run as the server holds it.
 *
 * @param n        its number in the run, from 1
 * @param kind     {@code change}, {@code command} or {@code note}
 * @param diff     for a change: a unified diff of every file against {@code before}
 * @param verdict  what the policy check said: {@code denied}, {@code needs_approval} or {@code allowed}
 * @param reason   why, for a person
 * @param state    {@code waiting} (for a decision), {@code ready} (approved or allowed, not done yet),
 *                 {@code rejected}, {@code denied}, {@code done} or {@code failed}
 * @param exitCode for a command that ran
 * @param output   for a command that ran: the tail of its output
 */
public record StepView(
        @JsonProperty("n") int n,
        @JsonProperty("kind") String kind,
        @JsonProperty("files") Map<String, String> files,
        @JsonProperty("before") Map<String, String> before,
        @JsonProperty("diff") String diff,
        @JsonProperty("argv") List<String> argv,
        @JsonProperty("cwd") String cwd,
        @JsonProperty("text") String text,
        @JsonProperty("verdict") String verdict,
        @JsonProperty("reason") String reason,
        @JsonProperty("state") String state,
        @JsonProperty("decision") DecisionView decision,
        @JsonProperty("exit_code") Integer exitCode,
        @JsonProperty("output") String output,
        @JsonProperty("created_at") Instant createdAt) {
}
