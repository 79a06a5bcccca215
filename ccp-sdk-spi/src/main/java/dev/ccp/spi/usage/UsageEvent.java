package dev.ccp.spi.usage;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * One model request as recorded on the user's machine. It stays there: only hourly rollups leave.
 * Its JSON form is one line of {@code ccp db export}:
 * {@code {"ts":"2026-11-26T10:15:00Z","model":"claude-sonnet-4-5","outcome":"ok","latency_ms":812,"tokens_in":1200,"tokens_out":340,"offloaded":false}}.
 */
public record UsageEvent(
        @JsonProperty("ts") Instant ts,
        @JsonProperty("model") String model,
        @JsonProperty("outcome") Outcome outcome,
        @JsonProperty("latency_ms") long latencyMs,
        @JsonProperty("tokens_in") long tokensIn,
        @JsonProperty("tokens_out") long tokensOut,
        @JsonProperty("offloaded") boolean offloaded) {

    /** Checks every field; the message names the field and says what is allowed. */
    public UsageEvent {
        Objects.requireNonNull(ts, "ts is required");
        Objects.requireNonNull(outcome, "outcome is required");
        if (!ModelId.valid(model)) {
            throw new IllegalArgumentException("model must match " + ModelId.PATTERN.pattern() + ", was '" + model + "'");
        }
        if (latencyMs < 0 || latencyMs > 86_400_000L) {
            throw new IllegalArgumentException("latency_ms must be between 0 and 86400000, was " + latencyMs);
        }
        if (tokensIn < 0 || tokensOut < 0 || tokensIn > 100_000_000L || tokensOut > 100_000_000L) {
            throw new IllegalArgumentException("tokens_in and tokens_out must be between 0 and 100000000");
        }
    }
}
