package dev.ccp.sdk;

import dev.ccp.sdk.internal.H2UsageStore;
import dev.ccp.spi.store.UsageStore;
import dev.ccp.spi.usage.Outcome;
import dev.ccp.spi.usage.UsageEvent;
import dev.ccp.spi.wire.RollupRow;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A client that writes usage on the recording thread, and a store that can be told to fail. */
abstract class UsageFixture extends ClientFixture {

    final FlakyStore store = new FlakyStore();

    /** Writes on the recording thread, into {@link #store}, in batches of 100 or after a minute. */
    CcpClientBuilder usageBuilder() {
        return builder().usageExecutor(Runnable::run).usageBatching(100, Duration.ofMinutes(1)).usageStore(store);
    }

    CcpClient usageClient() {
        return usageBuilder().build();
    }

    UsageEvent ok(Instant ts, String model) {
        return new UsageEvent(ts, model, Outcome.OK, 800, 1000, 200, false);
    }

    UsageEvent ok(Duration ago, String model) {
        return ok(clock.instant().minus(ago), model);
    }

    /** The default store under home, read directly. */
    UsageStore.Status stored() throws IOException {
        return H2UsageStore.open(home, Sleeper.system()).status();
    }

    List<RollupRow> pending() throws IOException {
        return H2UsageStore.open(home, Sleeper.system()).pending(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"));
    }

    /** The default store under home, recording each write's size and failing while told to. */
    final class FlakyStore implements UsageStore {
        final List<Integer> writes = new CopyOnWriteArrayList<>();
        volatile boolean failing;

        private UsageStore delegate() throws IOException {
            if (failing) {
                throw new IOException("disk full");
            }
            return H2UsageStore.open(home, Sleeper.system());
        }

        @Override
        public void record(List<UsageEvent> events) throws IOException {
            UsageStore d = delegate();
            writes.add(events.size());
            d.record(events);
        }

        @Override
        public Imported importEvents(List<UsageEvent> events) throws IOException {
            return delegate().importEvents(events);
        }

        @Override
        public List<RollupRow> pending(Instant from, Instant to) throws IOException {
            return delegate().pending(from, to);
        }

        @Override
        public int markExported(List<RollupRow> rows) throws IOException {
            return delegate().markExported(rows);
        }

        @Override
        public List<RollupRow> rollups(Instant from, Instant to) throws IOException {
            return delegate().rollups(from, to);
        }

        @Override
        public Totals totals(Instant from, Instant to) throws IOException {
            return delegate().totals(from, to);
        }

        @Override
        public void forEachEvent(Instant since, EventSink sink) throws IOException {
            delegate().forEachEvent(since, sink);
        }

        @Override
        public Pruned prune(Instant eventsBefore, Instant rollupsBefore) throws IOException {
            return delegate().prune(eventsBefore, rollupsBefore);
        }

        @Override
        public Status status() throws IOException {
            return delegate().status();
        }

        @Override
        public void close() {
        }
    }
}
