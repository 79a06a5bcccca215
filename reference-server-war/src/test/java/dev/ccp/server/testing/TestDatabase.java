package dev.ccp.server.testing;

import dev.ccp.server.platform.database.Database;
import dev.ccp.server.platform.database.Tx;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A fresh database with the real migrations and JPA unit, one per test: in-memory H2, or with
 * {@code -Dccp.it.db.url=jdbc:postgresql:…} a new schema in that PostgreSQL database, so the
 * PostgreSQL statements of the control layer are tested as well.
 */
public final class TestDatabase {

    private TestDatabase() {
    }

    /** Where a fresh database is: its URL, user and password. */
    public record Location(String url, String user, String password) {
    }

    public static Location fresh() {
        String url = System.getProperty("ccp.it.db.url", "");
        if (!url.startsWith("jdbc:postgresql:")) {
            return new Location("jdbc:h2:mem:ccp-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        }
        String user = blankToNull(System.getProperty("ccp.it.db.user"));
        String password = blankToNull(System.getProperty("ccp.it.db.password"));
        String schema = "test_" + System.nanoTime();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("create schema " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test schema in " + url, e);
        }
        return new Location(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, user, password);
    }

    public static Database open() {
        Location at = fresh();
        return Database.open(at.url(), at.user(), at.password());
    }

    /**
     * Waits until the database's change notices arrive (PostgreSQL listens on a thread of its own,
     * which starts with the database); at once on H2, which has none to wait for.
     */
    public static Database listening(Database database) {
        for (int i = 0; i < 600 && !database.notifications().current(); i++) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (!database.notifications().current()) {
            throw new IllegalStateException("the database's change notices did not start within 30 s");
        }
        return database;
    }

    public static Tx tx(Database database) {
        return new Tx(database);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
