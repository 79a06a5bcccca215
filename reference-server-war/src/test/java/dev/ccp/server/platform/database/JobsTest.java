package dev.ccp.server.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ccp.server.testing.TestDatabase;
import dev.ccp.spi.testing.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Jobs that run once across nodes: two {@link Jobs} over one database stand for two nodes. */
class JobsTest {

    final Database database = TestDatabase.open();
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    final Jobs nodeA = new Jobs(database.dataSource(), clock);
    final Jobs nodeB = new Jobs(database.dataSource(), clock);
    final AtomicInteger runs = new AtomicInteger();

    @AfterEach
    void close() {
        database.close();
    }

    /** The first ask starts the job's clock; a period later it is due. */
    private String due(String job) {
        assertThat(nodeA.runIfDue(job, Duration.ofHours(1), runs::incrementAndGet)).as("not before a period has passed").isFalse();
        clock.advance(Duration.ofHours(1));
        return job;
    }

    @Test
    void aJobRunsOncePerPeriodWhicheverNodeAsks() {
        String job = due("prune-" + System.nanoTime());
        assertThat(nodeA.runIfDue(job, Duration.ofHours(1), runs::incrementAndGet)).isTrue();
        assertThat(nodeB.runIfDue(job, Duration.ofHours(1), runs::incrementAndGet)).as("ran a moment ago on A").isFalse();
        clock.advance(Duration.ofMinutes(59));
        assertThat(nodeA.runIfDue(job, Duration.ofHours(1), runs::incrementAndGet)).isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(nodeB.runIfDue(job, Duration.ofHours(1), runs::incrementAndGet)).isTrue();
        assertThat(runs).hasValue(2);
        assertThat(nodeA.lastFinished(job)).isEqualTo(clock.instant());
    }

    @Test
    void twoNodesNeverRunTheSameJobAtOnce() throws Exception {
        String job = due("reconcile-" + System.nanoTime());
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> onA = CompletableFuture.supplyAsync(() -> nodeA.runIfDue(job, Duration.ofHours(1), () -> {
            running.countDown();
            await(release);
            runs.incrementAndGet();
        }));
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(nodeB.runIfDue(job, Duration.ofHours(1), runs::incrementAndGet)).as("A holds it").isFalse();
        release.countDown();
        assertThat(onA.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(runs).hasValue(1);
    }

    @Test
    void aJobWhoseNodeDiesIsTakenOverByTheNext() throws Exception {
        assumeTrue(System.getProperty("ccp.it.db.url", "").startsWith("jdbc:postgresql:"), "advisory locks are PostgreSQL's");
        String job = due("checkpoints-" + System.nanoTime());
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> onA = CompletableFuture.supplyAsync(() -> nodeA.runIfDue(job, Duration.ofHours(1), () -> {
            running.countDown();
            await(release);
        }));
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(nodeB.runIfDue(job, Duration.ofHours(1), runs::incrementAndGet)).isFalse();

        // A's node dies: its connection, and the lock with it, is gone.
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement kill = c.prepareStatement("select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory'"
                        + " and ((classid::bigint << 32) | objid::bigint) = ?")) {
            kill.setLong(1, Jobs.key(c.getSchema() + "." + job));
            try (ResultSet killed = kill.executeQuery()) {
                assertThat(killed.next()).as("A's session held the lock").isTrue();
            }
            // The lock goes when the server has ended A's session.
            try (PreparedStatement held = c.prepareStatement("select count(*) from pg_locks where locktype = 'advisory'"
                    + " and ((classid::bigint << 32) | objid::bigint) = ?")) {
                held.setLong(1, Jobs.key(c.getSchema() + "." + job));
                for (long left = 1; left > 0; Thread.sleep(50)) {
                    try (ResultSet count = held.executeQuery()) {
                        count.next();
                        left = count.getLong(1);
                    }
                }
            }
        }
        assertThat(nodeB.runIfDue(job, Duration.ofHours(1), runs::incrementAndGet)).as("B takes over the job A never finished").isTrue();
        assertThat(runs).hasValue(1);
        release.countDown();
        assertThat(onA).failsWithin(30, TimeUnit.SECONDS);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
