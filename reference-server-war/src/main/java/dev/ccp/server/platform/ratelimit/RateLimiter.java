package dev.ccp.server.platform.ratelimit;

import dev.ccp.server.platform.database.Database;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Fixed-window counters kept in the database, so every node of a cluster sees the same count and a
 * restart does not reset an attacker's budget. Counting locks a window's row for the rest of the
 * caller's transaction, so concurrent requests of one bucket are counted one after the other.
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

    /** The hits counted so far in this window, read without a lock. */
    public int hits(EntityManager em, String bucket, Duration window) {
        RateWindow row = em.find(RateWindow.class, key(bucket, window));
        return row == null ? 0 : row.hits();
    }

    /**
     * Counts one hit and answers the count so far in this window, in one statement. The window's row
     * stays locked until the caller's transaction ends, and a rolled-back transaction counts nothing.
     */
    public int hit(EntityManager em, String bucket, Duration window) {
        RateWindow.Key key = key(bucket, window);
        Object hits = em.createNativeQuery(Database.postgres(Database.connection(em)) ? HIT_POSTGRES : HIT_H2)
                .setParameter(1, key.bucket())
                .setParameter(2, java.time.LocalDateTime.ofInstant(key.windowStart(), java.time.ZoneOffset.UTC))
                .getSingleResult();
        return ((Number) hits).intValue();
    }

    private static final String HIT_POSTGRES = "insert into rate_windows (bucket, window_start, hits) values (?1, ?2, 1) "
            + "on conflict (bucket, window_start) do update set hits = rate_windows.hits + 1 returning hits";
    private static final String HIT_H2 = "select hits from final table (merge into rate_windows t using (values (cast(?1 as varchar(200)), "
            + "cast(?2 as timestamp))) s(bucket, window_start) on t.bucket = s.bucket and t.window_start = s.window_start "
            + "when matched then update set hits = t.hits + 1 when not matched then insert (bucket, window_start, hits) "
            + "values (s.bucket, s.window_start, 1))";

    /** Deletes the windows that started more than {@code age} ago, long past any limit's window; answers how many. */
    public int prune(EntityManager em, Duration age) {
        return em.createQuery("delete from RateWindow w where w.key.windowStart < :before")
                .setParameter("before", clock.instant().minus(age)).executeUpdate();
    }

    /** When the current window ends: what {@code Retry-After} should say. */
    public Duration untilNextWindow(Duration window) {
        Instant end = windowStart(window).plus(window);
        return Duration.between(clock.instant(), end);
    }

    private RateWindow.Key key(String bucket, Duration window) {
        return new RateWindow.Key(bucket.length() > 200 ? bucket.substring(0, 200) : bucket, windowStart(window));
    }

    private RateWindow lock(EntityManager em, String bucket, Duration window) {
        RateWindow.Key key = key(bucket, window);
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
