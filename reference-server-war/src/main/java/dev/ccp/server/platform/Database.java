package dev.ccp.server.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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

    private final HikariDataSource dataSource;
    private final EntityManagerFactory emf;

    private Database(HikariDataSource dataSource, EntityManagerFactory emf) {
        this.dataSource = dataSource;
        this.emf = emf;
    }

    public static Database open(String url, String user, String password) {
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
        }
        config.setPoolName("ccp");
        config.setAutoCommit(true);
        HikariDataSource ds = new HikariDataSource(config);
        try {
            migrations().dataSource(ds).load().migrate();
            EntityManagerFactory emf = Persistence.createEntityManagerFactory("ccp", Map.of(
                    PersistenceUnitProperties.ECLIPSELINK_PERSISTENCE_XML, "META-INF/ccp-persistence.xml",
                    PersistenceUnitProperties.NON_JTA_DATASOURCE, ds,
                    PersistenceUnitProperties.CLASSLOADER, Database.class.getClassLoader()));
            emf.createEntityManager().close();
            return new Database(ds, emf);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    /** The schema's migrations: the SQL scripts, and the one that needs the database's metadata. */
    public static FluentConfiguration migrations() {
        return Flyway.configure(Database.class.getClassLoader())
                .locations("classpath:db/migration")
                .javaMigrations(new DropUsageOrgKeys());
    }

    public static Database open(ServerConfig config) {
        return open(config.dbUrl(), config.dbUser().orElse(null), config.dbPassword().orElse(null));
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

    public DataSource dataSource() {
        return dataSource;
    }

    public EntityManagerFactory entityManagerFactory() {
        return emf;
    }

    public boolean isUp() {
        try (var connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        emf.close();
        dataSource.close();
    }
}
