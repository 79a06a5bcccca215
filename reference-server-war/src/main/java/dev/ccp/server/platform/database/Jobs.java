package dev.ccp.server.platform.database;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Jobs that must run once across the nodes, however many run the same schedule: pruning, audit
 * checkpoints, billing reconciliation.
 *
 * <p>Every node asks {@link #runIfDue} on its own schedule. On PostgreSQL the job first takes a
 * session advisory lock named after it ({@code pg_try_advisory_lock}); a node that does not get it
 * skips this turn, so two nodes never run the job at once. The holder then reads when the job last
 * finished ({@code job_runs}; the first node to ask starts that clock) and runs it only when its
 * period has passed, so the cluster runs it once per period rather than once per node. The lock lives as long as the connection that took it: a
 * node that dies mid-job loses it with the connection, and the job has not been marked done, so the
 * next node to ask takes it over.
 *
 * <p>H2 serves one node; there a lock in this process stands in for the advisory lock.
 */
public final class Jobs {

    private static final Map<String, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

    private final DataSource dataSource;
    private final Clock clock;

    public Jobs(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * Runs {@code job} when no node runs it now and it last finished at least {@code period} ago.
     *
     * @return whether it ran here
     */
    public boolean runIfDue(String name, Duration period, Runnable job) {
        try (Connection c = dataSource.getConnection()) {
            boolean postgres = Database.postgres(c);
            ReentrantLock local = postgres ? null : LOCAL.computeIfAbsent(name, n -> new ReentrantLock());
            long key = postgres ? key(c.getSchema() + "." + name) : 0;
            if (postgres ? !advisoryLock(c, "pg_try_advisory_lock", key) : !local.tryLock()) {
                return false;
            }
            try {
                Instant now = clock.instant();
                Instant last = lastFinished(c, name);
                if (last == null) {
                    // A job no node has run yet waits one period from the first node's start, as it
                    // did on a single node: a fresh cluster has nothing to prune or reconcile.
                    finished(c, name, now);
                    return false;
                }
                if (now.isBefore(last.plus(period))) {
                    return false;
                }
                job.run();
                finished(c, name, clock.instant());
                return true;
            } finally {
                if (postgres) {
                    unlock(c, key);
                } else {
                    local.unlock();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run job " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Gives the lock back. A pooled connection keeps its session, so one whose unlock failed must not
     * be used again: it is evicted from the pool, and closing it ends the session and the lock.
     */
    private void unlock(Connection c, long key) {
        try {
            if (advisoryLock(c, "pg_advisory_unlock", key)) {
                return;
            }
        } catch (SQLException e) {
            // evicted below
        }
        if (dataSource instanceof com.zaxxer.hikari.HikariDataSource pool) {
            pool.evictConnection(c);
        } else {
            try {
                c.abort(Runnable::run);
            } catch (SQLException e) {
                // closing anyway
            }
        }
    }

    /** When {@code name} last finished anywhere, or null if never. */
    Instant lastFinished(String name) {
        try (Connection c = dataSource.getConnection()) {
            return lastFinished(c, name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read job " + name + ": " + e.getMessage(), e);
        }
    }

    private static Instant lastFinished(Connection c, String name) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("select finished_at from job_runs where name = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC) : null;
            }
        }
    }

    private static void finished(Connection c, String name, Instant at) throws SQLException {
        LocalDateTime when = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
        try (PreparedStatement update = c.prepareStatement("update job_runs set finished_at = ? where name = ?")) {
            update.setObject(1, when);
            update.setString(2, name);
            if (update.executeUpdate() == 1) {
                return;
            }
        }
        // Only the lock's holder writes the row, so the first insert has no rival.
        try (PreparedStatement insert = c.prepareStatement("insert into job_runs (name, finished_at) values (?, ?)")) {
            insert.setString(1, name);
            insert.setObject(2, when);
            insert.executeUpdate();
        }
    }

    private static boolean advisoryLock(Connection c, String function, long key) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("select " + function + "(?)")) {
            lock.setLong(1, key);
            try (ResultSet row = lock.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    /**
     * The advisory lock's 64-bit key: the first bytes of the SHA-256 of the schema and job name, the
     * same on every node, and apart for deployments that share a database in schemas of their own.
     */
    static long key(String name) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(("ccp.job:" + name).getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = (key << 8) | (hash[i] & 0xff);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
