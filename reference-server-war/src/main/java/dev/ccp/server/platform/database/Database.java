package dev.ccp.server.platform.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ccp.server.platform.ServerConfig;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import javax.sql.DataSource;
import org.eclipse.persistence.config.PersistenceUnitProperties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * The server's database: a connection pool, the schema migrated by Flyway, and the JPA unit on top.
 *
 * <p>The WAR brings its own pool and drivers rather than asking the application server for a data
 * source, so {@code CCP_DB_URL} alone selects H2 or PostgreSQL on any Jakarta EE 10 server, and the
 * same class backs the control-layer tests without a container.
 */
public final class Database implements AutoCloseable {

    /** The longest a request waits for a connection before it is told the database is unavailable. */
    public static final Duration CONNECTION_WAIT = Duration.ofSeconds(3);

    private final HikariDataSource dataSource;
    private final EntityManagerFactory emf;
    private final Notifications notifications;
    private final ReadCache.Generation generation;

    private Database(HikariDataSource dataSource, EntityManagerFactory emf, Notifications notifications, ReadCache.Generation generation) {
        this.dataSource = dataSource;
        this.generation = generation;
        this.emf = emf;
        this.notifications = notifications;
    }

    /** A database whose notice listener runs on daemon threads of its own: for tools and tests outside a server. */
    public static Database open(String url, String user, String password) {
        return open(url, user, password, work -> {
            Thread thread = new Thread(work);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A database whose notice listener runs on threads from {@code threads} (the server's managed thread factory). */
    public static Database open(String url, String user, String password, ThreadFactory threads) {
        if (url.startsWith("jdbc:h2:file:")) {
            createParentFolder(url);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setDriverClassName(url.startsWith("jdbc:postgresql:") ? "org.postgresql.Driver" : "org.h2.Driver");
        config.setMaximumPoolSize(16);
        if (url.startsWith("jdbc:postgresql:")) {
            // Sends a batch of inserts as multi-row statements: ingest's batches are its hot path.
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
            // Compiling a query costs tens of milliseconds: PostgreSQL's JIT, which starts on the
            // planner's estimate alone, made the dashboards' few-millisecond reads several times slower.
            config.setConnectionInitSql("set jit = off");
        }
        config.setPoolName("ccp");
        config.setAutoCommit(true);
        // Fail fast when the database is gone: a request waits at most this long for a connection and
        // is then answered 503, instead of queueing behind the default 30 s.
        config.setConnectionTimeout(CONNECTION_WAIT.toMillis());
        config.setValidationTimeout(1_000);
        config.setExceptionOverrideClassName(DropLostConnections.class.getName());
        if (url.startsWith("jdbc:postgresql:")) {
            config.addDataSourceProperty("connectTimeout", "3");
        }
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw inUse(url, e);
        }
        try {
            migrations().dataSource(ds).load().migrate();
            EntityManagerFactory emf = Persistence.createEntityManagerFactory("ccp", Map.of(
                    PersistenceUnitProperties.ECLIPSELINK_PERSISTENCE_XML, "META-INF/ccp-persistence.xml",
                    PersistenceUnitProperties.NON_JTA_DATASOURCE, ds,
                    PersistenceUnitProperties.CLASSLOADER, Database.class.getClassLoader(),
                    PersistenceUnitProperties.SESSION_CUSTOMIZER, NoRetries.class.getName()));
            emf.createEntityManager().close();
            ReadCache.Generation generation = new ReadCache.Generation();
            return new Database(ds, emf, Notifications.start(url, user, password, ds, generation, threads), generation);
        } catch (RuntimeException e) {
            ds.close();
            throw inUse(url, e);
        }
    }

    /**
     * An H2 file opened by another process says so plainly: it is the second node of a cluster on a
     * database that serves one node (or a server left running). Other failures pass as they are.
     */
    static RuntimeException inUse(String url, RuntimeException failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof java.sql.SQLException sql && sql.getErrorCode() == 90020 && url.startsWith("jdbc:h2:file:")) {
                String file = url.substring("jdbc:h2:file:".length()).split(";", 2)[0];
                return new IllegalStateException("the H2 database " + file + " is in use by another server process. An H2 file serves"
                        + " one node: stop the other process, give this one its own CCP_DATA, or run several nodes on PostgreSQL"
                        + " (CCP_DB_URL=jdbc:postgresql://…)", failure);
            }
        }
        return failure;
    }

    /** The schema's migrations: the SQL scripts, and the one that needs the database's metadata. */
    public static FluentConfiguration migrations() {
        return Flyway.configure(Database.class.getClassLoader())
                .locations("classpath:db/migration")
                .javaMigrations(new DropUsageOrgKeys(), ChangeNotices.migration(), BucketSumsCovered.migration(),
                        ReadCache.migration(), Notifications.schemaMigration());
    }

    public static Database open(ServerConfig config, ThreadFactory threads) {
        return open(config.dbUrl(), config.dbUser().orElse(null), config.dbPassword().orElse(null), threads);
    }

    private static void createParentFolder(String url) {
        String path = url.substring("jdbc:h2:file:".length()).split(";", 2)[0];
        Path parent = Path.of(path).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the database folder " + parent, e);
        }
    }

    /**
     * The JDBC connection of the entity manager's transaction, for statements JPA cannot express;
     * JPA's own statements of that transaction run on it too from here on.
     */
    public static java.sql.Connection connection(jakarta.persistence.EntityManager em) {
        java.sql.Connection connection = em.unwrap(java.sql.Connection.class);
        if (connection == null) {
            throw new IllegalStateException("no transaction is active");
        }
        return connection;
    }

    /** Whether the connection is to PostgreSQL, where some statements take its own syntax; otherwise it is H2. */
    public static boolean postgres(java.sql.Connection connection) {
        try {
            return "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot tell which database this is", e);
        }
    }

    /** What a failure met while talking to the database means for the request that met it. */
    public enum Trouble {
        /** Another transaction won a race for the same rows: running the work again sees what it wrote. */
        CONFLICT,
        /** The database cannot be reached now: try again later. */
        UNAVAILABLE,
        /** Anything else: a defect. */
        OTHER
    }

    /** Classifies a failure by the first database error among its causes. */
    public static Trouble trouble(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof java.sql.SQLException sql) {
                if (connectionLost(sql)) {
                    return Trouble.UNAVAILABLE;
                }
                String state = String.valueOf(sql.getSQLState());
                if (state.equals("23505") || state.equals("40001") || state.equals("40P01") || state.equals("HYT00") || state.equals("90131")) {
                    return Trouble.CONFLICT;
                }
            }
        }
        return Trouble.OTHER;
    }

    /**
     * Whether an error means the connection, or the database behind it, is gone: SQL state class 08,
     * PostgreSQL's 57P01–03 (shutting down, starting), H2's 90067 and 90121 (broken, closed), or the
     * driver saying so by the exception's type.
     */
    static boolean connectionLost(java.sql.SQLException e) {
        if (e instanceof java.sql.SQLTransientConnectionException || e instanceof java.sql.SQLNonTransientConnectionException
                || e instanceof java.sql.SQLRecoverableException) {
            return true;
        }
        String state = String.valueOf(e.getSQLState());
        return state.startsWith("08") || state.startsWith("57P") || state.equals("90067") || state.equals("90121");
    }

    /**
     * Tells the pool to drop a connection whose database is gone. The pool knows SQL state class 08,
     * but not every driver's words for it (H2's closed connection), and a connection used again
     * within half a second is not re-checked: a broken one would be handed out forever.
     */
    public static final class DropLostConnections implements com.zaxxer.hikari.SQLExceptionOverride {
        @java.lang.Override
        public com.zaxxer.hikari.SQLExceptionOverride.Override adjudicate(java.sql.SQLException e) {
            return connectionLost(e) ? com.zaxxer.hikari.SQLExceptionOverride.Override.MUST_EVICT
                    : com.zaxxer.hikari.SQLExceptionOverride.Override.CONTINUE_EVICT;
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public EntityManagerFactory entityManagerFactory() {
        return emf;
    }

    /** The change notices between the nodes sharing this database. */
    public Notifications notifications() {
        return notifications;
    }

    /** What this node has kept of the database is current up to this generation ({@link ReadCache}). */
    ReadCache.Generation generation() {
        return generation;
    }

    /** Whether a connection can be had and answers now; empty when it can, else what went wrong. */
    public java.util.Optional<String> unavailable() {
        try (var connection = dataSource.getConnection()) {
            return connection.isValid(2) ? java.util.Optional.empty() : java.util.Optional.of("the connection did not answer within 2 s");
        } catch (java.sql.SQLException e) {
            return java.util.Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    /** The database product, such as {@code PostgreSQL} or {@code H2}, as the driver names it. */
    public String product() {
        return dataSource.getJdbcUrl().startsWith("jdbc:postgresql:") ? "PostgreSQL" : "H2";
    }

    /**
     * EclipseLink retries a query whose connection failed, three times with pauses; with the pool's
     * own wait that made a request take minutes to fail while the database was down. The pool already
     * hands out only live connections, so one attempt is enough.
     */
    public static final class NoRetries implements org.eclipse.persistence.config.SessionCustomizer {
        @Override
        public void customize(org.eclipse.persistence.sessions.Session session) {
            if (session.getDatasourceLogin() instanceof org.eclipse.persistence.sessions.DatabaseLogin login) {
                login.setQueryRetryAttemptCount(0);
                login.setDelayBetweenConnectionAttempts(0);
            }
        }
    }

    @Override
    public void close() {
        notifications.close();
        emf.close();
        dataSource.close();
    }
}
