package dev.ccp.spi.usage;

import java.util.List;

/**
 * The fixed latency histogram buckets, in milliseconds. Bucket {@code i} counts latencies up to and
 * including {@code UPPER_BOUNDS_MS.get(i)}; the last bucket counts everything above the last bound.
 * Fixed buckets let the server merge histograms from any number of seats and hours and still compute
 * percentiles.
 */
public final class LatencyBuckets {

    public static final List<Long> UPPER_BOUNDS_MS = List.of(50L, 100L, 250L, 500L, 1_000L, 2_500L, 5_000L, 10_000L, 30_000L);

    /** Number of buckets: one per bound plus the overflow bucket. */
    public static final int COUNT = UPPER_BOUNDS_MS.size() + 1;

    private LatencyBuckets() {
    }

    /** The bucket a latency falls into. */
    public static int bucketOf(long latencyMs) {
        for (int i = 0; i < UPPER_BOUNDS_MS.size(); i++) {
            if (latencyMs <= UPPER_BOUNDS_MS.get(i)) {
                return i;
            }
        }
        return COUNT - 1;
    }

    /**
     * The latency at a quantile of a histogram, interpolated linearly inside its bucket (the overflow
     * bucket answers its lower bound). Null for an empty histogram.
     *
     * @param quantile between 0 and 1, such as 0.95
     */
    public static Long quantile(long[] histogram, double quantile) {
        if (histogram.length != COUNT) {
            throw new IllegalArgumentException("a histogram has " + COUNT + " buckets, got " + histogram.length);
        }
        long total = 0;
        for (long n : histogram) {
            total += n;
        }
        if (total == 0) {
            return null;
        }
        double rank = quantile * total;
        long seen = 0;
        for (int i = 0; i < COUNT; i++) {
            long n = histogram[i];
            if (n > 0 && seen + n >= rank) {
                long lower = i == 0 ? 0 : UPPER_BOUNDS_MS.get(i - 1);
                if (i == COUNT - 1) {
                    return lower;
                }
                long upper = UPPER_BOUNDS_MS.get(i);
                double within = (rank - seen) / n;
                return Math.round(lower + within * (upper - lower));
            }
            seen += n;
        }
        return UPPER_BOUNDS_MS.get(UPPER_BOUNDS_MS.size() - 1);
    }
}
