package dev.ccp.sdk.internal;

import dev.ccp.spi.store.UsageStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The checked usage settings of a client.
 *
 * @param home the folder of the default store, or null for the client's home
 * @param store the host's own store, or null for the default one
 * @param retention how long raw events are kept (rollups are kept {@link UsageEngine#ROLLUP_RETENTION})
 * @param executor where background writes run, or null for a daemon thread of the client's own
 * @param batchSize how many buffered events make a write due
 * @param flushInterval how long the oldest buffered event waits at most before a write is due
 * @param capacity how many events the buffer holds before it drops new ones
 */
public record UsageSettings(
        Path home,
        UsageStore store,
        Duration retention,
        Executor executor,
        int batchSize,
        Duration flushInterval,
        int capacity) {

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    public static final int DEFAULT_BATCH_SIZE = 500;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(10);
    public static final int DEFAULT_CAPACITY = 10_000;

    public static UsageSettings defaults() {
        return new UsageSettings(null, null, DEFAULT_RETENTION, null, DEFAULT_BATCH_SIZE, DEFAULT_FLUSH_INTERVAL, DEFAULT_CAPACITY);
    }

    UsageSettings withExecutor(Executor executor) {
        return new UsageSettings(home, store, retention, executor, batchSize, flushInterval, capacity);
    }
}
