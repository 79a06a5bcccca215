package dev.ccp.server.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ccp.server.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When a node may answer from what it read before: not after a change it committed itself, not
 * after a change another node committed once the notice is in, never from a read that raced a
 * change, and never past the longest age.
 */
class ReadCacheTest {

    final AtomicLong nanos = new AtomicLong(1_000);
    final AtomicInteger reads = new AtomicInteger();
    Database database;
    Database other;

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
        if (other != null) {
            other.close();
        }
    }

    private ReadCache<String, Integer> cache() {
        database = TestDatabase.listening(TestDatabase.open());
        return new ReadCache<>(database, 100, nanos::get);
    }

    private Integer read(ReadCache<String, Integer> cache) {
        return cache.get("k", reads::incrementAndGet);
    }

    @Test
    void aReadIsKeptUntilItIsTooOld() {
        ReadCache<String, Integer> cache = cache();
        assertThat(read(cache)).isEqualTo(1);
        nanos.addAndGet(ReadCache.MAX_AGE.toNanos() - 1);
        assertThat(read(cache)).as("kept").isEqualTo(1);
        nanos.addAndGet(1);
        assertThat(read(cache)).as("read again once as old as the longest age").isEqualTo(2);
    }

    @Test
    void aChangeCountsWhenItsTransactionEndsAndNotBefore() {
        ReadCache<String, Integer> cache = cache();
        Tx tx = TestDatabase.tx(database);
        read(cache);
        tx.run(em -> {
            ReadCache.changed();
            assertThat(read(cache)).as("nothing committed yet").isEqualTo(1);
            // An inner transaction ending does not count the outer one's change early.
            tx.run(inner -> { });
            assertThat(read(cache)).isEqualTo(1);
        });
        assertThat(read(cache)).as("read again after the commit").isEqualTo(2);
        assertThat(read(cache)).isEqualTo(2);
    }

    @Test
    void aReadThatRacedAChangeIsNotKept() {
        ReadCache<String, Integer> cache = cache();
        Tx tx = TestDatabase.tx(database);
        Integer first = cache.get("k", () -> {
            tx.run(em -> ReadCache.changed());
            return reads.incrementAndGet();
        });
        assertThat(first).isEqualTo(1);
        assertThat(read(cache)).as("the first read may predate the change").isEqualTo(2);
        assertThat(read(cache)).isEqualTo(2);
    }

    @Test
    void aFullCacheStartsAgain() {
        database = TestDatabase.listening(TestDatabase.open());
        ReadCache<Integer, Integer> cache = new ReadCache<>(database, 2, nanos::get);
        cache.get(1, reads::incrementAndGet);
        cache.get(2, reads::incrementAndGet);
        cache.get(3, reads::incrementAndGet);
        assertThat(cache.get(3, reads::incrementAndGet)).isEqualTo(3);
        assertThat(cache.get(1, reads::incrementAndGet)).as("dropped when the third came").isEqualTo(4);
    }

    @Test
    void aChangeOfAWatchedTableOnAnotherNodeIsSeenOnceItsNoticeArrives() throws Exception {
        String url = System.getProperty("ccp.it.db.url", "");
        assumeTrue(url.startsWith("jdbc:postgresql:"), "LISTEN/NOTIFY is PostgreSQL's; H2 serves one node");
        TestDatabase.Location at = TestDatabase.fresh();
        database = Database.open(at.url(), at.user(), at.password());
        other = Database.open(at.url(), at.user(), at.password());
        TestDatabase.listening(database);
        ReadCache<String, Integer> cache = new ReadCache<>(database, 100, nanos::get);
        assertThat(read(cache)).isEqualTo(1);
        assertThat(read(cache)).as("kept while notices arrive").isEqualTo(1);

        // Written by the other node without JPA: the table's trigger is what tells this one.
        try (Connection c = other.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("update orgs set name = name where id = 'none'");
        }
        int seen = 1;
        for (int i = 0; i < 600 && seen == 1; i++) {
            Thread.sleep(50);
            seen = read(cache);
        }
        assertThat(seen).as("read again after the notice").isEqualTo(2);
        assertThat(read(cache)).isEqualTo(2);
    }
}
