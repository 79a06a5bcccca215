package dev.ccp.sdk;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How much has been used: in the current UTC minute (counted in memory since the client started),
 * today and this month (UTC, read from the usage store plus what is not written yet, so they survive
 * restarts). Compare it with the tool's limits through {@link #allows}.
 *
 * @param at when the counts were taken
 */
public record Quota(Instant at, Counts minute, Counts today, Counts month) {

    /** The spans a quota is counted over. */
    public enum Window { MINUTE, DAY, MONTH }

    /** Requests and tokens in one window. */
    public record Counts(long requests, long tokensIn, long tokensOut) {

        public static final Counts ZERO = new Counts(0, 0, 0);

        /** Tokens in and out together. */
        public long tokens() {
            return tokensIn + tokensOut;
        }
    }

    public Quota {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(minute, "minute");
        Objects.requireNonNull(today, "today");
        Objects.requireNonNull(month, "month");
    }

    public Counts in(Window window) {
        return switch (window) {
            case MINUTE -> minute;
            case DAY -> today;
            case MONTH -> month;
        };
    }

    /** Whether one more request stays within the limits: every window is below its request and token limit. */
    public boolean allows(QuotaLimits limits) {
        return exceeded(limits).isEmpty();
    }

    /** The shortest window whose limit is reached, if any: the one to tell the person about. */
    public Optional<Window> exceeded(QuotaLimits limits) {
        Objects.requireNonNull(limits, "limits");
        for (Window window : Window.values()) {
            Counts counts = in(window);
            if (counts.requests() >= limits.maxRequests(window) || counts.tokens() >= limits.maxTokens(window)) {
                return Optional.of(window);
            }
        }
        return Optional.empty();
    }
}
