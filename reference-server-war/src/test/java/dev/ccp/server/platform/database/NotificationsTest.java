package dev.ccp.server.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ccp.server.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Change notices between nodes: two {@link Database}s on one PostgreSQL database stand for two
 * nodes. A committed change to a watched row reaches the other's listeners; a rolled back one does
 * not; a dropped listening connection comes back and says so.
 */
class NotificationsTest {

    Database nodeA;
    Database nodeB;

    private void open() {
        String url = System.getProperty("ccp.it.db.url", "");
        assumeTrue(url.startsWith("jdbc:postgresql:"), "LISTEN/NOTIFY is PostgreSQL's; H2 serves one node");
        TestDatabase.Location at = TestDatabase.fresh();
        nodeA = Database.open(at.url(), at.user(), at.password());
        nodeB = Database.open(at.url(), at.user(), at.password());
    }

    /** A node of another deployment, in another schema of the same database. */
    Database elsewhere;

    @AfterEach
    void close() {
        if (nodeA != null) {
            nodeA.close();
            nodeB.close();
        }
        if (elsewhere != null) {
            elsewhere.close();
        }
    }

    @Test
    void aNodeInAnotherSchemaOfTheSameDatabaseHearsNoneOfThisOnesNotices() throws Exception {
        open();
        TestDatabase.Location other = TestDatabase.fresh();
        elsewhere = Database.open(other.url(), other.user(), other.password());
        BlockingQueue<String> heardHere = new LinkedBlockingQueue<>();
        BlockingQueue<String> heardThere = new LinkedBlockingQueue<>();
        BlockingQueue<String> probesThere = new LinkedBlockingQueue<>();
        nodeB.notifications().on("run_queues", heardHere::add);
        elsewhere.notifications().on("run_queues", heardThere::add);
        elsewhere.notifications().on("probe", probesThere::add);
        awaitListening(nodeB);
        awaitListening(elsewhere);

        try (Connection c = nodeA.dataSource().getConnection();
                PreparedStatement insert = c.prepareStatement("insert into run_queues (id, seq) values (?, 0)")) {
            insert.setString(1, "q-here");
            insert.executeUpdate();
        }
        nodeA.notifications().send("run_queues", "sent-here");
        assertThat(heardHere.poll(30, TimeUnit.SECONDS)).isEqualTo("q-here");
        assertThat(heardHere.poll(30, TimeUnit.SECONDS)).isEqualTo("sent-here");
        // One connection hears notices in the order they were sent: once its own probe is in, the others' came before it.
        elsewhere.notifications().send("probe", "there");
        assertThat(probesThere.poll(30, TimeUnit.SECONDS)).isEqualTo("there");
        assertThat(heardThere).as("another schema's row and notice").isEmpty();

        try (Connection c = elsewhere.dataSource().getConnection();
                PreparedStatement insert = c.prepareStatement("insert into run_queues (id, seq) values (?, 0)")) {
            insert.setString(1, "q-there");
            insert.executeUpdate();
        }
        assertThat(heardThere.poll(30, TimeUnit.SECONDS)).isEqualTo("q-there");
        nodeA.notifications().send("run_queues", "after");
        assertThat(heardHere.poll(30, TimeUnit.SECONDS)).isEqualTo("after");
    }

    @Test
    void aCommittedChangeOfAWatchedRowReachesTheOtherNodeAndARolledBackOneDoesNot() throws Exception {
        open();
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        nodeB.notifications().on("run_queues", heard::add);
        awaitListening(nodeB);

        try (Connection c = nodeA.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("insert into run_queues (id, seq) values (?, 0)")) {
                insert.setString(1, "q-rolled-back");
                insert.executeUpdate();
            }
            c.rollback();
            try (PreparedStatement insert = c.prepareStatement("insert into run_queues (id, seq) values (?, 0)")) {
                insert.setString(1, "q-committed");
                insert.executeUpdate();
            }
            assertThat(heard.poll(500, TimeUnit.MILLISECONDS)).as("nothing before the commit").isNull();
            c.commit();
            c.setAutoCommit(true);
        }
        assertThat(heard.poll(30, TimeUnit.SECONDS)).isEqualTo("q-committed");
        assertThat(heard).isEmpty();

        nodeA.notifications().send("run_queues", "by-hand");
        assertThat(heard.poll(30, TimeUnit.SECONDS)).isEqualTo("by-hand");
    }

    @Test
    void aDroppedListenerComesBackAndCatchesUp() throws Exception {
        open();
        BlockingQueue<String> reconnects = new LinkedBlockingQueue<>();
        BlockingQueue<String> probes = new LinkedBlockingQueue<>();
        nodeB.notifications().onReconnect(() -> reconnects.add("back"));
        nodeB.notifications().on("probe", probes::add);
        awaitListening(nodeB);
        // Notices are handled in order: once the probe is heard, the first start's hooks have run.
        nodeA.notifications().send("probe", "1");
        assertThat(probes.poll(30, TimeUnit.SECONDS)).isEqualTo("1");
        reconnects.clear();

        try (Connection c = nodeA.dataSource().getConnection();
                PreparedStatement kill = c.prepareStatement("select pg_terminate_backend(pid) from pg_stat_activity where application_name = ? and datname = current_database()")) {
            kill.setString(1, Notifications.APPLICATION_NAME);
            kill.execute();
        }
        assertThat(reconnects.poll(60, TimeUnit.SECONDS)).as("listening again, and the watches poll once to catch up").isEqualTo("back");
        assertThat(nodeB.notifications().listening()).isTrue();
    }

    private static void awaitListening(Database node) {
        assertThat(TestDatabase.listening(node).notifications().listening()).isTrue();
    }
}
