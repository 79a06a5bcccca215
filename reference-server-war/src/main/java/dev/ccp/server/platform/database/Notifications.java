package dev.ccp.server.platform.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Wake-ups between the nodes that share one PostgreSQL database, through {@code LISTEN/NOTIFY}.
 *
 * <p>A notice names a topic and a key ({@code policy_heads:<id>}, {@code keys:license}), after the
 * schema it was sent from ({@code ccp/keys:license}): deployments in other schemas of the same
 * database share the channel, and each node takes only its own schema's notices. The rows
 * whose change wakes a long poll send theirs from a trigger ({@link ChangeNotices}), so every writer
 * is covered and the notice leaves when the transaction commits, never before; other notices are
 * sent with {@link #send}. A notice is only a hint: whoever it wakes reads the database.
 *
 * <p>One connection per node listens, outside the pool, on a thread of its own that only receives:
 * what a notice wakes (a read of the row, the waiting requests' answers) runs on a second thread, and
 * a notice repeated while it waits there is handled once. While the connection is down
 * {@link #listening()} is false and the watches poll as they did before; once it is back, every
 * {@link #onReconnect} hook runs, so a change missed in between is read then. On H2 (one node)
 * nothing listens and nothing is sent.
 */
public final class Notifications implements AutoCloseable {

    /** The one channel every node listens on; the topic is in the payload. */
    static final String CHANNEL = "ccp_changes";
    /** How the listening connection is named in {@code pg_stat_activity}. */
    static final String APPLICATION_NAME = "ccp-notifications";
    /** Ends the schema's name at the start of every payload; the topic and key follow. */
    static final String SCHEMA_END = "/";
    /** PostgreSQL refuses payloads of 8,000 bytes or more; the schema's name takes at most 63 of them. */
    private static final int MAX_PAYLOAD = 7_800;
    private static final long QUIET_CHECK_MILLIS = TimeUnit.SECONDS.toMillis(10);
    private static final Logger LOG = Logger.getLogger(Notifications.class.getName());
    /** Put on the dispatch queue when listening starts again: the reconnect hooks run there, in order. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String RECONNECTED = new String("reconnected");

    private final String url;
    private final Properties login = new Properties();
    private final DataSource pool;
    /** Moved by every stale notice, and when listening starts or stops (ReadCache). */
    private final ReadCache.Generation generation;
    private final boolean postgres;
    private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
    private final List<Runnable> reconnected = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.BlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();
    private final java.util.Set<String> queued = ConcurrentHashMap.newKeySet();
    private volatile boolean listening;
    private volatile boolean closed;
    private volatile Connection connection;
    private Thread thread;
    private Thread dispatcher;

    private Notifications(String url, String user, String password, DataSource pool, ReadCache.Generation generation) {
        this.url = url;
        this.generation = generation;
        this.pool = pool;
        this.postgres = url.startsWith("jdbc:postgresql:");
        if (user != null) {
            login.setProperty("user", user);
        }
        if (password != null) {
            login.setProperty("password", password);
        }
        login.setProperty("connectTimeout", "3");
        login.setProperty("tcpKeepAlive", "true");
        // A connection that died half-open fails its next read within this, not after TCP gives up.
        login.setProperty("socketTimeout", "30");
        login.setProperty("ApplicationName", APPLICATION_NAME);
    }

    /**
     * Starts listening when the database is PostgreSQL; otherwise notices are neither sent nor heard.
     * The two threads come from {@code threads}: in the application server its managed thread
     * factory, so that they run with the application's context and the server knows of them.
     */
    static Notifications start(String url, String user, String password, DataSource pool, ReadCache.Generation generation,
            ThreadFactory threads) {
        Notifications notifications = new Notifications(url, user, password, pool, generation);
        if (notifications.postgres) {
            notifications.on(ReadCache.TOPIC, table -> generation.move());
            notifications.thread = named(threads.newThread(notifications::listen), "ccp-notifications");
            notifications.dispatcher = named(threads.newThread(notifications::dispatch), "ccp-notifications-dispatch");
            notifications.dispatcher.start();
            notifications.thread.start();
        }
        return notifications;
    }

    private static Thread named(Thread thread, String name) {
        thread.setName(name);
        return thread;
    }

    /** Calls {@code listener} with the key of every notice on {@code topic}, from any node, this one included. */
    public void on(String topic, Consumer<String> listener) {
        listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
    }

    /** Runs {@code hook} each time listening starts again after it stopped (and the first time). */
    public void onReconnect(Runnable hook) {
        reconnected.add(hook);
    }

    /** Whether notices arrive now; when not, watchers must poll. */
    public boolean listening() {
        return listening;
    }

    /**
     * Whether every change another node commits reaches this one now: on PostgreSQL while notices
     * arrive, and always on H2, where there is no other node.
     */
    public boolean current() {
        return !postgres || listening;
    }

    /**
     * Tells every node (this one too) that {@code key} of {@code topic} changed. Best effort: a lost
     * notice only delays the wake-up until the next poll.
     */
    public void send(String topic, String key) {
        if (!postgres) {
            return;
        }
        String payload = topic + ":" + key;
        if (payload.length() > MAX_PAYLOAD) {
            throw new IllegalArgumentException("a notice carries at most " + MAX_PAYLOAD + " characters");
        }
        try (Connection c = pool.getConnection();
                PreparedStatement notify = c.prepareStatement("select pg_notify(?, current_schema() || '" + SCHEMA_END + "' || ?)")) {
            notify.setString(1, CHANNEL);
            notify.setString(2, payload);
            notify.execute();
        } catch (SQLException e) {
            LOG.log(Level.FINE, "could not send " + payload + "; the other nodes see it at their next poll", e);
        }
    }

    /**
     * Migration 27: the triggers of migrations 24 and 26 name their table's schema first, as
     * {@link #send} does.
     */
    static PostgresOnly schemaMigration() {
        return new PostgresOnly("27", "notices name their schema", List.of(
                ChangeNotices.function("tg_table_schema || '" + SCHEMA_END + "' || tg_table_name || ':' || new.id"),
                ReadCache.staleFunction("tg_table_schema || '" + SCHEMA_END + ReadCache.TOPIC + ":' || tg_table_name")));
    }

    private void listen() {
        boolean warned = false;
        while (!closed) {
            try (Connection c = open()) {
                connection = c;
                String schema;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                    try (ResultSet current = s.executeQuery("select current_schema()")) {
                        current.next();
                        schema = current.getString(1);
                    }
                }
                // What was kept before this may have missed a notice; from here on none is missed.
                generation.move();
                listening = true;
                if (warned) {
                    LOG.info("listening for changes from the other nodes again");
                    warned = false;
                }
                received.add(RECONNECTED);
                receive(c.unwrap(PGConnection.class), c, schema + SCHEMA_END);
            } catch (SQLException | RuntimeException e) {
                if (!closed && !warned) {
                    LOG.log(Level.WARNING, "not listening for changes from the other nodes (polling instead) until the database answers: "
                            + e.getMessage());
                    warned = true;
                }
            } finally {
                listening = false;
                generation.move();
                connection = null;
            }
            pause();
        }
    }

    /** Straight from the driver the WAR brings, whichever class loader asks. */
    private Connection open() throws SQLException {
        Connection c = new org.postgresql.Driver().connect(url, login);
        if (c == null) {
            throw new SQLException("not a PostgreSQL address: " + url);
        }
        return c;
    }

    /** Takes the notices sent from {@code ours}, the schema this node's tables are in; another schema's are another deployment's. */
    private void receive(PGConnection pg, Connection c, String ours) throws SQLException {
        long quietSince = System.currentTimeMillis();
        while (!closed) {
            PGNotification[] notices = pg.getNotifications(1_000);
            if (notices != null && notices.length > 0) {
                for (PGNotification notice : notices) {
                    String payload = notice.getParameter();
                    if (payload.startsWith(ours)) {
                        payload = payload.substring(ours.length());
                        if (queued.add(payload)) {
                            received.add(payload);
                        }
                    }
                }
                quietSince = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - quietSince > QUIET_CHECK_MILLIS) {
                // A connection that died without a word only shows when it is used.
                try (Statement s = c.createStatement()) {
                    s.execute("select 1");
                }
                quietSince = System.currentTimeMillis();
            }
        }
    }

    /** Runs what the received notices wake, one after another, off the listening thread. */
    private void dispatch() {
        while (!closed) {
            String payload;
            try {
                payload = received.take();
            } catch (InterruptedException e) {
                return;
            }
            if (payload == RECONNECTED) {
                reconnected.forEach(Notifications::quietly);
                continue;
            }
            queued.remove(payload);
            dispatch(payload);
        }
    }

    private void dispatch(String payload) {
        int colon = payload.indexOf(':');
        if (colon < 0) {
            return;
        }
        List<Consumer<String>> each = listeners.get(payload.substring(0, colon));
        if (each != null) {
            String key = payload.substring(colon + 1);
            each.forEach(listener -> quietly(() -> listener.accept(key)));
        }
    }

    private static void quietly(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a change notice could not be handled; the next poll catches up", e);
        }
    }

    private void pause() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
        if (dispatcher != null) {
            dispatcher.interrupt();
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
