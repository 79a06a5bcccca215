package dev.ccp.server.policy.control;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The long polls this node holds, by channel head, and what wakes them. The database is the source
 * of truth: {@link #poll()} reads the heads that have waiters (one query for all of them, however
 * many clients wait) and wakes every waiter whose head moved on, whichever node published. A publish
 * on this node also wakes its own waiters at once through {@link #published}.
 *
 * <p>A waiter is woken at most once: by a change, by its timeout or by {@link #close()}.
 */
public final class PolicyWatch implements AutoCloseable {

    private static final int CHUNK = 500;

    /** The head a woken waiter gets: enough to answer without another query. */
    public record Head(String key, long version, String etag, String pack) {
    }

    /** One waiting request: the etag it holds and what to do when the head moves on. */
    public static final class Waiter {
        private final String key;
        private final String etag;
        private final Consumer<Head> onChange;

        Waiter(String key, String etag, Consumer<Head> onChange) {
            this.key = key;
            this.etag = etag;
            this.onChange = onChange;
        }
    }

    private final DataSource dataSource;
    private final Map<String, Set<Waiter>> waiting = new ConcurrentHashMap<>();

    public PolicyWatch(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Waits for the head {@code key} to differ from {@code etag} (null: for a first publish).
     *
     * @return the waiter, to {@link #cancel} when the request ends another way
     */
    public Waiter await(String key, String etag, Consumer<Head> onChange) {
        Waiter waiter = new Waiter(key, etag, onChange);
        waiting.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(waiter);
        return waiter;
    }

    public void cancel(Waiter waiter) {
        waiting.computeIfPresent(waiter.key, (k, set) -> {
            set.remove(waiter);
            return set.isEmpty() ? null : set;
        });
    }

    public int waiting() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }

    /** Wakes this node's waiters on a head that was just committed here. */
    public void published(Head head) {
        wake(head);
    }

    /** Reads the watched heads from the database and wakes the waiters of those that moved on. */
    public void poll() {
        if (waiting.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(waiting.keySet());
        try (Connection connection = dataSource.getConnection()) {
            Map<String, String> etags = new HashMap<>();
            for (int from = 0; from < keys.size(); from += CHUNK) {
                etags.putAll(etags(connection, keys.subList(from, Math.min(keys.size(), from + CHUNK))));
            }
            for (Map.Entry<String, String> e : etags.entrySet()) {
                Set<Waiter> set = waiting.get(e.getKey());
                if (set != null && set.stream().anyMatch(w -> !e.getValue().equals(w.etag))) {
                    head(connection, e.getKey()).ifPresent(this::wake);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the policy heads: " + e.getMessage(), e);
        }
    }

    private void wake(Head head) {
        Set<Waiter> set = waiting.get(head.key());
        if (set == null) {
            return;
        }
        for (Waiter waiter : set) {
            if (!head.etag().equals(waiter.etag) && set.remove(waiter)) {
                waiter.onChange.accept(head);
            }
        }
        waiting.computeIfPresent(head.key(), (k, s) -> s.isEmpty() ? null : s);
    }

    private static Map<String, String> etags(Connection connection, Collection<String> keys) throws SQLException {
        String marks = String.join(",", java.util.Collections.nCopies(keys.size(), "?"));
        try (PreparedStatement select = connection.prepareStatement("select id, etag from policy_heads where id in (" + marks + ")")) {
            int i = 1;
            for (String key : keys) {
                select.setString(i++, key);
            }
            Map<String, String> out = new HashMap<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    out.put(rows.getString(1), rows.getString(2));
                }
            }
            return out;
        }
    }

    private static java.util.Optional<Head> head(Connection connection, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("select version, etag, pack from policy_heads where id = ?")) {
            select.setString(1, key);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? java.util.Optional.of(new Head(key, rows.getLong(1), rows.getString(2), rows.getString(3)))
                        : java.util.Optional.empty();
            }
        }
    }

    /** Lets every waiter go, for a node that shuts down: its clients ask again, of another node. */
    @Override
    public void close() {
        List<Waiter> all = new ArrayList<>();
        waiting.values().forEach(all::addAll);
        waiting.clear();
        all.forEach(w -> w.onChange.accept(null));
    }
}
