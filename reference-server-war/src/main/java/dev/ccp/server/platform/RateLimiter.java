package dev.ccp.server.platform;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Fixed-window counters kept in the database, so every node of a cluster sees the same count and a
 * restart does not reset an attacker's budget. A window's row is locked for the rest of the caller's
 * transaction, so concurrent requests of one bucket are counted one after the other.
 */
public final class RateLimiter {

    private final Clock clock;
    private final EntityManagerFactory emf;

    public RateLimiter(Clock clock, EntityManagerFactory emf) {
        this.clock = clock;
        this.emf = emf;
    }

    /** Whether {@code bucket} has used up {@code limit} hits in the current window; locks the window. */
    public boolean exhausted(EntityManager em, String bucket, int limit, Duration window) {
        return lock(em, bucket, window).hits() >= limit;
    }

    /** Counts one hit and answers the count so far in this window. */
    public int hit(EntityManager em, String bucket, Duration window) {
        return lock(em, bucket, window).increment();
    }

    /** When the current window ends: what {@code Retry-After} should say. */
    public Duration untilNextWindow(Duration window) {
        Instant end = windowStart(window).plus(window);
        return Duration.between(clock.instant(), end);
    }

    private RateWindow lock(EntityManager em, String bucket, Duration window) {
        RateWindow.Key key = new RateWindow.Key(bucket.length() > 200 ? bucket.substring(0, 200) : bucket, windowStart(window));
        RateWindow row = em.find(RateWindow.class, key, LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            create(key);
            row = em.find(RateWindow.class, key, LockModeType.PESSIMISTIC_WRITE);
        }
        return row;
    }

    /**
     * Makes the window's row in a transaction of its own: when two first requests race to insert it,
     * the loser's duplicate key fails only that small transaction, and both go on to lock the row.
     */
    private void create(RateWindow.Key key) {
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            em.persist(new RateWindow(key));
            em.getTransaction().commit();
        } catch (PersistenceException e) {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
        } finally {
            em.close();
        }
    }

    private Instant windowStart(Duration window) {
        long size = window.toSeconds();
        long now = clock.instant().getEpochSecond();
        return Instant.ofEpochSecond(now - Math.floorMod(now, size));
    }
}
