package dev.ccp.server.usage.control;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The windows of the model health views: 24 hourly buckets, or 28 six-hour buckets (7 days). */
public enum HealthWindow {
    DAY("24h", Duration.ofHours(1), 24),
    WEEK("7d", Duration.ofHours(6), 28);

    private final String label;
    private final Duration bucket;
    private final int buckets;

    HealthWindow(String label, Duration bucket, int buckets) {
        this.label = label;
        this.bucket = bucket;
        this.buckets = buckets;
    }

    public static Optional<HealthWindow> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of(DAY);
        }
        for (HealthWindow w : values()) {
            if (w.label.equals(text)) {
                return Optional.of(w);
            }
        }
        return Optional.empty();
    }

    public String label() {
        return label;
    }

    public Duration bucket() {
        return bucket;
    }

    public int buckets() {
        return buckets;
    }

    /** Start of the bucket holding {@code now}: the last bucket of the window. */
    public Instant currentBucket(Instant now) {
        long size = bucket.toSeconds();
        return Instant.ofEpochSecond(now.getEpochSecond() - Math.floorMod(now.getEpochSecond(), size));
    }

    public Instant from(Instant now) {
        return currentBucket(now).minus(bucket.multipliedBy(buckets - 1L));
    }

    public Instant to(Instant now) {
        return currentBucket(now).plus(bucket);
    }

    public int index(Instant hour, Instant now) {
        return (int) (Duration.between(from(now), hour).toSeconds() / bucket.toSeconds());
    }
}
