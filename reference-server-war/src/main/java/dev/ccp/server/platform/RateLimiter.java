package dev.ccp.server.platform;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Fixed-window counters kept in the database, so every node of a cluster sees the same count and a
 * restart does not reset an attacker's budget.
 */
public final class RateLimiter {

    private final Clock clock;

    public RateLimiter(Clock clock) {
        this.clock = clock;
    }

    /** Whether {@code bucket} has used up {@code limit} hits in the current window. */
    public boolean exhausted(EntityManager em, String bucket, int limit, Duration window) {
        RateWindow row = em.find(RateWindow.class, new RateWindow.Key(bucket, windowStart(window)));
        return row != null && row.hits() >= limit;
    }

    /** Counts one hit and answers the count so far in this window. */
    public int hit(EntityManager em, String bucket, Duration window) {
        RateWindow.Key key = new RateWindow.Key(bucket, windowStart(window));
        RateWindow row = em.find(RateWindow.class, key, LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            em.persist(new RateWindow(key));
            em.flush();
            return 1;
        }
        return row.increment();
    }

    /** When the current window ends: what {@code Retry-After} should say. */
    public Duration untilNextWindow(Duration window) {
        Instant end = windowStart(window).plus(window);
        return Duration.between(clock.instant(), end);
    }

    private Instant windowStart(Duration window) {
        long size = window.toSeconds();
        long now = clock.instant().getEpochSecond();
        return Instant.ofEpochSecond(now - Math.floorMod(now, size));
    }
}
