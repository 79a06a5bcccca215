package dev.ccp.server.platform.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The long polls this node holds on rows that change, and what wakes them. Each waiter holds the
 * mark it last saw of one row (a policy head's etag, a run's event count). The database is the
 * source of truth: {@link #poll()} reads the marks of every watched row in one query per 500 rows,
 * however many clients wait, and wakes every waiter whose row moved on, whichever node changed it. A
 * change committed on this node wakes its own waiters at once through {@link #changed}.
 *
 * <p>Between nodes on PostgreSQL, {@link #listen} hears each watched row's change notice and wakes
 * the row's waiters at once; polling then only runs as a safety net, every {@link #SAFETY_NET_NANOS},
 * and at the poll period again while notices do not arrive.
 *
 * <p>A waiter is woken at most once: by a change, by its timeout, by its deadline or by
 * {@link #close()} (the last two with null).
 * Woken waiters are answered on the executor given to {@link #answerOn}, a share of them per task, so
 * that a change many clients wait for is answered on every core, and the thread that saw the change
 * (a publish's request, the notice listener, the poll) does not answer them one after another.
 *
 * @param <H> what a woken waiter gets: enough to answer without another query, or at least the mark
 */
public abstract class ChangeWatch<H> implements AutoCloseable {

    private static final int CHUNK = 500;
    /** Woken waiters answered by one task: enough to outweigh handing it over, few enough to spread. */
    private static final int ANSWERS_PER_TASK = 50;
    private static final Logger LOG = Logger.getLogger(ChangeWatch.class.getName());

    /** One waiting request: the mark it holds, what to do when the row moves on, and until when. */
    public static final class Waiter<H> {
        private final String key;
        private final String mark;
        private final Consumer<H> onChange;
        /** {@link System#nanoTime()} after which {@link #tick} lets it go, or null for no deadline. */
        private final Long deadline;

        Waiter(String key, String mark, Consumer<H> onChange, Long deadline) {
            this.key = key;
            this.mark = mark;
            this.onChange = onChange;
            this.deadline = deadline;
        }
    }

    /** How often rows are polled while notices arrive: a notice lost on the way costs at most this. */
    static final long SAFETY_NET_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    private final DataSource dataSource;
    private final String table;
    private final String markColumn;
    private final Map<String, Set<Waiter<H>>> waiting = new ConcurrentHashMap<>();
    /** The waiters with a deadline: a request that holds no timeout of its own, such as an event stream. */
    private final Set<Waiter<H>> withDeadline = ConcurrentHashMap.newKeySet();
    private volatile Executor answers = Runnable::run;
    private volatile Notifications notifications;
    private volatile long lastPoll = System.nanoTime();
    /**
     * Rows noticed lately, and when: a request reads its mark, then waits, and a notice that came in
     * between found nobody waiting. {@link #await} looks here and reads such a row again at once,
     * but only for a request that read its mark before the notice came.
     */
    private final Map<String, Long> noticedAt = new ConcurrentHashMap<>();

    /**
     * @param table      the watched rows, keyed by an {@code id} column
     * @param markColumn the column that changes with every change that wakes a waiter
     */
    protected ChangeWatch(DataSource dataSource, String table, String markColumn) {
        this.dataSource = dataSource;
        this.table = table;
        this.markColumn = markColumn;
    }

    /**
     * Answers woken waiters on {@code executor} from now on; until then (and whenever it refuses a
     * task) they are answered on the thread that wakes them.
     */
    public void answerOn(Executor executor) {
        this.answers = executor;
    }

    protected abstract String key(H head);

    protected abstract String mark(H head);

    /** The row's head as waiters get it, read after its mark moved on. */
    protected abstract Optional<H> head(Connection connection, String key) throws SQLException;

    /**
     * Waits for the row {@code key} to have a mark other than {@code mark} (null: for a first one).
     *
     * <p>When a notice of the row came after {@code readAt}, the change it announced may be one the
     * caller's read did not see, and it found nobody waiting: the row is read again at once. Requests
     * that read after the notice wait without another read. (Reading again for every request within
     * seconds of a notice cost a thousand subscribers, asking again after a publish, a read each and a
     * pass over every waiter each.)
     *
     * @param readAt {@link System#nanoTime()} taken before the caller read {@code mark}
     * @return the waiter, to {@link #cancel} when the request ends another way
     */
    public Waiter<H> await(String key, String mark, long readAt, Consumer<H> onChange) {
        return await(new Waiter<>(key, mark, onChange, null), readAt);
    }

    /**
     * As {@link #await(String, String, long, Consumer)}, for a request with no timeout of its own:
     * when the row has not moved on by {@code deadline} ({@link System#nanoTime()}), the waiter is
     * let go with null, within a poll period.
     */
    public Waiter<H> awaitUntil(String key, String mark, long readAt, long deadline, Consumer<H> onChange) {
        return await(new Waiter<>(key, mark, onChange, deadline), readAt);
    }

    private Waiter<H> await(Waiter<H> waiter, long readAt) {
        String key = waiter.key;
        waiting.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(waiter);
        if (waiter.deadline != null) {
            // After it waits: one let go or woken in between is taken out of here by the next tick.
            withDeadline.add(waiter);
        }
        Long noticed = noticedAt.get(key);
        if (noticed != null && noticed - readAt >= 0) {
            reread(key);
        }
        return waiter;
    }

    public void cancel(Waiter<H> waiter) {
        release(waiter);
    }

    /** Takes the waiter out; true only for the one call that did, so it is answered at most once. */
    private boolean release(Waiter<H> waiter) {
        withDeadline.remove(waiter);
        boolean[] removed = new boolean[1];
        waiting.computeIfPresent(waiter.key, (k, set) -> {
            removed[0] = set.remove(waiter);
            return set.isEmpty() ? null : set;
        });
        return removed[0];
    }

    public int waiting() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }

    /** Wakes this node's waiters on a change that was just committed here. */
    public void changed(H head) {
        Set<Waiter<H>> set = waiting.get(key(head));
        if (set == null) {
            return;
        }
        String mark = mark(head);
        List<Waiter<H>> woken = new ArrayList<>();
        for (Waiter<H> waiter : set) {
            if (!mark.equals(waiter.mark) && set.remove(waiter)) {
                if (waiter.deadline != null) {
                    withDeadline.remove(waiter);
                }
                woken.add(waiter);
            }
        }
        waiting.computeIfPresent(key(head), (k, s) -> s.isEmpty() ? null : s);
        Executor executor = answers;
        for (int from = 0; from < woken.size(); from += ANSWERS_PER_TASK) {
            List<Waiter<H>> share = woken.subList(from, Math.min(woken.size(), from + ANSWERS_PER_TASK));
            try {
                executor.execute(() -> answer(share, head));
            } catch (RejectedExecutionException e) {
                answer(share, head);
            }
        }
    }

    /** One waiter's failure to answer (its client gone) is not the others'. */
    private void answer(List<Waiter<H>> woken, H head) {
        for (Waiter<H> waiter : woken) {
            try {
                waiter.onChange.accept(head);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "a woken waiter on " + table + " " + waiter.key + " could not be answered", e);
            }
        }
    }

    /**
     * Wakes waiters on the change notices of this watch's table, from every node, and catches up on
     * what was missed whenever listening starts again.
     */
    public void listen(Notifications notices) {
        this.notifications = notices;
        notices.on(table, this::noticed);
        notices.onReconnect(this::poll);
    }

    /** A row of this table changed on some node: wakes its waiters here if it moved past their mark. */
    void noticed(String key) {
        noticedAt.put(key, System.nanoTime());
        if (waiting.containsKey(key)) {
            reread(key);
        }
    }

    /** Reads one row's head and wakes its waiters whose mark it moved past. */
    private void reread(String key) {
        try (Connection connection = dataSource.getConnection()) {
            head(connection, key).ifPresent(this::changed);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + table + " " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * Called every poll period: polls while no notices arrive, and otherwise only as the safety net
     * every {@link #SAFETY_NET_NANOS}.
     */
    public void tick() {
        letGoPastDeadline();
        Notifications notices = notifications;
        if (notices != null && notices.listening() && System.nanoTime() - lastPoll < SAFETY_NET_NANOS) {
            return;
        }
        poll();
    }

    /** Lets the waiters whose deadline passed go, with null. */
    private void letGoPastDeadline() {
        if (withDeadline.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        List<Waiter<H>> due = new ArrayList<>();
        for (Waiter<H> waiter : withDeadline) {
            if (now - waiter.deadline >= 0 && release(waiter)) {
                due.add(waiter);
            }
        }
        answer(due, null);
    }

    /** Reads the watched rows' marks and wakes the waiters of those that moved on. */
    public void poll() {
        lastPoll = System.nanoTime();
        noticedAt.values().removeIf(at -> lastPoll - at > SAFETY_NET_NANOS);
        if (waiting.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(waiting.keySet());
        try (Connection connection = dataSource.getConnection()) {
            Map<String, String> marks = new HashMap<>();
            for (int from = 0; from < keys.size(); from += CHUNK) {
                marks.putAll(marks(connection, keys.subList(from, Math.min(keys.size(), from + CHUNK))));
            }
            for (Map.Entry<String, String> e : marks.entrySet()) {
                Set<Waiter<H>> set = waiting.get(e.getKey());
                if (set != null && set.stream().anyMatch(w -> !e.getValue().equals(w.mark))) {
                    head(connection, e.getKey()).ifPresent(this::changed);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + table + ": " + e.getMessage(), e);
        }
    }

    private Map<String, String> marks(Connection connection, Collection<String> keys) throws SQLException {
        String marks = String.join(",", java.util.Collections.nCopies(keys.size(), "?"));
        try (PreparedStatement select = connection.prepareStatement(
                "select id, " + markColumn + " from " + table + " where id in (" + marks + ")")) {
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

    /** Lets every waiter go, for a node that shuts down: its clients ask again, of another node. */
    @Override
    public void close() {
        List<Waiter<H>> all = new ArrayList<>();
        waiting.values().forEach(all::addAll);
        waiting.clear();
        withDeadline.clear();
        all.forEach(w -> w.onChange.accept(null));
    }
}
