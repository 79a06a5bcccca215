package dev.ccp.server.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.server.testing.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A change notice that comes between a request's read and its wait: only a request that read before
 * the notice reads the row again; the many that ask again after it wait without another read.
 */
class ChangeWatchTest {

    Database database;
    CounterWatch watch;
    /** Connections the watch took: each read of a row takes one. */
    final AtomicInteger reads = new AtomicInteger();

    @BeforeEach
    void open() {
        database = TestDatabase.open();
        DataSource counted = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        reads.incrementAndGet();
                    }
                    try {
                        return method.invoke(database.dataSource(), args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        watch = new CounterWatch(counted, "run_queues");
        set("q", 1);
    }

    @AfterEach
    void close() {
        watch.close();
        database.close();
    }

    @Test
    void aRequestThatReadBeforeANoticeThatFoundNobodyWaitingIsAnsweredAtOnce() {
        long readAt = System.nanoTime(); // the request reads seq 1 ...
        set("q", 2); // ... another node commits seq 2, and its notice finds nobody waiting here
        watch.noticed("q");
        List<CounterWatch.Head> woken = new ArrayList<>();

        watch.await("q", "1", readAt, woken::add);

        assertThat(woken).containsExactly(new CounterWatch.Head("q", 2));
        assertThat(watch.waiting()).isZero();
    }

    @Test
    void requestsThatReadAfterTheNoticeWaitWithoutAnotherRead() {
        set("q", 2);
        watch.noticed("q");
        int before = reads.get();
        List<CounterWatch.Head> woken = new ArrayList<>();

        for (int i = 0; i < 100; i++) {
            watch.await("q", "2", System.nanoTime(), woken::add);
        }

        assertThat(reads.get()).isEqualTo(before);
        assertThat(woken).isEmpty();
        assertThat(watch.waiting()).isEqualTo(100);
    }

    @Test
    void aNoticeWhileTheyWaitWakesThem() {
        List<CounterWatch.Head> woken = new ArrayList<>();
        watch.await("q", "1", System.nanoTime(), woken::add);
        watch.await("q", "1", System.nanoTime(), woken::add);

        set("q", 2);
        watch.noticed("q");

        assertThat(woken).containsExactly(new CounterWatch.Head("q", 2), new CounterWatch.Head("q", 2));
    }

    @Test
    void aWaiterPastItsDeadlineIsLetGoOnceWithNothing() {
        List<CounterWatch.Head> woken = new ArrayList<>();
        long now = System.nanoTime();
        watch.awaitUntil("q", "1", now, now - 1, woken::add);
        watch.awaitUntil("q", "1", now, now + java.util.concurrent.TimeUnit.MINUTES.toNanos(5), woken::add);

        watch.tick();
        watch.tick();

        assertThat(woken).containsExactly((CounterWatch.Head) null);
        assertThat(watch.waiting()).isEqualTo(1);
    }

    @Test
    void aWaiterWokenBeforeItsDeadlineIsNotLetGoAgain() {
        List<CounterWatch.Head> woken = new ArrayList<>();
        long now = System.nanoTime();
        watch.awaitUntil("q", "1", now, now + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1), woken::add);
        set("q", 2);
        watch.noticed("q");

        watch.tick();

        assertThat(woken).containsExactly(new CounterWatch.Head("q", 2));
        assertThat(watch.waiting()).isZero();
    }

    private void set(String key, long seq) {
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(Database.postgres(c)
                        ? "insert into run_queues (id, seq) values (?, ?) on conflict (id) do update set seq = excluded.seq"
                        : "merge into run_queues key (id) values (?, ?)")) {
            s.setString(1, key);
            s.setLong(2, seq);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
