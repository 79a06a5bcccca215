package dev.ccp.server.platform.database;

import jakarta.persistence.PostRemove;
import jakarta.persistence.PostUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Reads a node keeps in memory, each used only while nothing it was read from can have changed.
 *
 * <p>The tables such reads come from are <em>watched</em>: their entities carry {@link Watched}, and
 * PostgreSQL announces every update or delete of them to every node (migration 26). Any such change
 * moves one generation, which every kept read was taken in:
 * <ul>
 * <li>a change made on this node moves it when its transaction has committed ({@link Tx}), before the
 *     request that made it is answered, so this node never answers from a read older than its own
 *     write;</li>
 * <li>a change made on another node moves it when its notice arrives, milliseconds after its commit;</li>
 * <li>listening to notices starting or stopping moves it, and nothing kept is used while no notices
 *     arrive. On H2, which serves one node, every change is this node's own.</li>
 * </ul>
 * The generation is taken before the read, so a read that raced a change is never used. A kept read
 * is used for {@link #MAX_AGE} at most, which bounds what a listening connection that died without a
 * word can hide. One generation for every watched table keeps this simple; the tables it serves
 * change seldom.
 */
public final class ReadCache<K, V> {

    /** The longest a kept read is used, whatever the notices say. */
    public static final Duration MAX_AGE = Duration.ofSeconds(10);
    /** The topic of the notices of watched tables; their key is the table. */
    static final String TOPIC = "stale";

    /** The watched tables, as migration 26 made them; a table added later needs a migration of its own. */
    static final List<String> WATCHED = List.of("memberships", "orgs", "token_families");

    private static final ThreadLocal<Changes> CHANGES = ThreadLocal.withInitial(Changes::new);

    private record Kept<V>(V value, long generation, long readAt) {
    }

    private final Map<K, Kept<V>> kept = new ConcurrentHashMap<>();
    private final Generation generation;
    private final Notifications notifications;
    private final int capacity;
    private final LongSupplier nanos;

    /**
     * @param capacity the most reads kept; when full, all are dropped and kept again as they are read
     * @param nanos a monotonic clock in nanoseconds ({@link System#nanoTime} but in tests)
     */
    public ReadCache(Database database, int capacity, LongSupplier nanos) {
        this.generation = database.generation();
        this.notifications = database.notifications();
        this.capacity = capacity;
        this.nanos = nanos;
    }

    /** The value kept for {@code key} if it is still current, or else what {@code read} reads now (and is kept). */
    public V get(K key, Supplier<V> read) {
        long now = nanos.getAsLong();
        Kept<V> known = kept.get(key);
        if (known != null && known.generation() == generation.current() && now - known.readAt() < MAX_AGE.toNanos()
                && notifications.current()) {
            return known.value();
        }
        long before = generation.current();
        V value = read.get();
        if (kept.size() >= capacity) {
            kept.clear();
        }
        kept.put(key, new Kept<>(value, before, now));
        return value;
    }

    /**
     * Records that this thread's transaction changed a watched table other than through an entity
     * (a bulk {@code update}); the change counts once the transaction ends.
     */
    public static void changed() {
        CHANGES.get().pending = true;
    }

    /** A transaction starts on this thread ({@link Tx}). */
    static void begun() {
        CHANGES.get().depth++;
    }

    /**
     * A transaction ended on this thread, committed or not. Once the outermost one ends, what any of
     * them changed counts: an inner transaction may have committed before an outer one rolled back.
     */
    static void ended(Generation generation) {
        Changes changes = CHANGES.get();
        if (--changes.depth == 0 && changes.pending) {
            changes.pending = false;
            generation.move();
        }
    }

    /** The generation of one node's kept reads (one per {@link Database}). */
    static final class Generation {

        private final AtomicLong value = new AtomicLong();

        long current() {
            return value.get();
        }

        /** Every read kept on this node is read again. */
        void move() {
            value.incrementAndGet();
        }
    }

    /**
     * Migration 26: on PostgreSQL, an update or delete of a watched table tells every node, at commit,
     * once per statement (PostgreSQL folds a transaction's equal notices into one).
     */
    static PostgresOnly migration() {
        List<String> sql = new ArrayList<>();
        sql.add(staleFunction("'" + TOPIC + ":' || tg_table_name"));
        for (String table : WATCHED) {
            sql.add("create trigger " + table + "_stale after update or delete on " + table
                    + " for each statement execute function ccp_stale_notice()");
        }
        return new PostgresOnly("26", "stale notices", sql);
    }

    /** The trigger function, sending {@code payload} (an SQL expression); migration 27 puts the schema first. */
    static String staleFunction(String payload) {
        return "create or replace function ccp_stale_notice() returns trigger language plpgsql as $$ begin perform pg_notify('"
                + Notifications.CHANNEL + "', " + payload + "); return null; end $$";
    }

    private static final class Changes {
        int depth;
        boolean pending;
    }

    /** The entity listener of the watched tables' entities: their updates and deletes count at the end of the transaction. */
    public static final class Watched {

        @PostUpdate
        @PostRemove
        void changed(Object entity) {
            ReadCache.changed();
        }
    }
}
