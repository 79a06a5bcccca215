package dev.ccp.sdk;

import dev.ccp.sdk.Quota.Window;
import java.util.Arrays;
import java.util.Objects;

/**
 * A tool's usage limits per {@link Window}: requests, and tokens in plus out. Immutable; each setter
 * returns a copy. Unset limits are unlimited.
 *
 * <pre>{@code
 * QuotaLimits limits = QuotaLimits.none().requests(Window.MINUTE, 60).tokens(Window.DAY, 2_000_000);
 * if (!ccp.usage().quota().allows(limits)) { … }
 * }</pre>
 */
public final class QuotaLimits {

    private static final QuotaLimits NONE = new QuotaLimits(unlimited(), unlimited());

    private final long[] requests;
    private final long[] tokens;

    private QuotaLimits(long[] requests, long[] tokens) {
        this.requests = requests;
        this.tokens = tokens;
    }

    /** No limits at all. */
    public static QuotaLimits none() {
        return NONE;
    }

    /** At most {@code max} requests per window. */
    public QuotaLimits requests(Window window, long max) {
        long[] copy = requests.clone();
        copy[Objects.requireNonNull(window, "window").ordinal()] = checked(max);
        return new QuotaLimits(copy, tokens);
    }

    /** At most {@code max} tokens (in plus out) per window. */
    public QuotaLimits tokens(Window window, long max) {
        long[] copy = tokens.clone();
        copy[Objects.requireNonNull(window, "window").ordinal()] = checked(max);
        return new QuotaLimits(requests, copy);
    }

    /** The request limit of a window; {@link Long#MAX_VALUE} when unlimited. */
    public long maxRequests(Window window) {
        return requests[window.ordinal()];
    }

    /** The token limit of a window; {@link Long#MAX_VALUE} when unlimited. */
    public long maxTokens(Window window) {
        return tokens[window.ordinal()];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuotaLimits other && Arrays.equals(requests, other.requests) && Arrays.equals(tokens, other.tokens);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(requests) + Arrays.hashCode(tokens);
    }

    @Override
    public String toString() {
        return "QuotaLimits[requests=" + Arrays.toString(requests) + ", tokens=" + Arrays.toString(tokens) + "]";
    }

    private static long checked(long max) {
        if (max < 0) {
            throw new IllegalArgumentException("a limit must not be negative: " + max);
        }
        return max;
    }

    private static long[] unlimited() {
        long[] all = new long[Window.values().length];
        Arrays.fill(all, Long.MAX_VALUE);
        return all;
    }
}
