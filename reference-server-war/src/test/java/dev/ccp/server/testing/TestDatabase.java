package dev.ccp.server.testing;

import dev.ccp.server.platform.Database;
import dev.ccp.server.platform.Tx;

/** A fresh in-memory H2 database with the real migrations and JPA unit, one per test class. */
public final class TestDatabase {

    private TestDatabase() {
    }

    public static Database open() {
        return Database.open("jdbc:h2:mem:ccp-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    public static Tx tx(Database database) {
        return new Tx(database.entityManagerFactory());
    }
}
