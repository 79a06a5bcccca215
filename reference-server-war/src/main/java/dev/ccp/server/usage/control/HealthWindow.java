package dev.ccp.server.usage.control;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The windows of the model health views: the last 24 closed hours, or the last 28 closed six-hour
 * buckets (7 days). A bucket still filling is never shown: it changes each time a seat exports,
 * and a viewer who watched it change would see each seat's figures one by one.
 */
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

    /** Start of the bucket holding {@code now}: the one still filling, where the window ends. */
    public Instant currentBucket(Instant now) {
        long size = bucket.toSeconds();
        return Instant.ofEpochSecond(now.getEpochSecond() - Math.floorMod(now.getEpochSecond(), size));
    }

    public Instant from(Instant now) {
        return to(now).minus(bucket.multipliedBy(buckets));
    }

    /** The end of the window, exclusive: the start of the bucket still filling. */
    public Instant to(Instant now) {
        return currentBucket(now);
    }

    public int index(Instant hour, Instant now) {
        return (int) (Duration.between(from(now), hour).toSeconds() / bucket.toSeconds());
    }
}
