package dev.ccp.sdk.internal;

import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.CcpException.Kind;
import dev.ccp.sdk.ExportOptions;
import dev.ccp.sdk.ExportResult;
import dev.ccp.sdk.ImportResult;
import dev.ccp.sdk.Quota;
import dev.ccp.sdk.UsageLines;
import dev.ccp.sdk.UsageListener;
import dev.ccp.sdk.UsageStatus;
import dev.ccp.spi.store.UsageStore;
import dev.ccp.spi.usage.UsageEvent;
import java.io.IOException;
import java.io.Writer;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Usage behind {@code CcpClient.usage()}: the store, opened on first use and pruned then and at most
 * hourly after (by this client: each process prunes on its own); the recorder and its writer thread,
 * started on the first event; export and import.
 */
public final class UsageEngine implements AutoCloseable {

    private static final Log LOG = Log.of(UsageEngine.class);
    /** The server keeps 400 days of rollups; keeping them as long locally lets an export fill its gaps. */
    public static final Duration ROLLUP_RETENTION = Duration.ofDays(400);
    static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final Engine engine;
    private final UsageSettings settings;
    private final Recorder recorder;
    private final boolean ownWriter;
    private UsageStore store;
    private Instant lastPrune;
    private volatile ScheduledExecutorService writer;

    UsageEngine(Engine engine, UsageSettings settings) {
        this.engine = engine;
        this.ownWriter = settings.executor() == null;
        this.settings = ownWriter ? settings.withExecutor(task -> writer().execute(task)) : settings;
        this.recorder = new Recorder(this, this.settings, engine.config.clock());
    }

    /** Where the default store keeps its file. */
    public Path home() {
        return settings.home() != null ? settings.home() : engine.config.home();
    }

    public Clock clock() {
        return engine.config.clock();
    }

    public Duration retention() {
        return settings.retention();
    }

    public void record(UsageEvent event) {
        recorder.record(event); // first: once closed, it refuses before a thread is started
        if (ownWriter && writer == null) {
            writer(); // its timer writes an event that no later one makes due
        }
    }

    public void flush() {
        recorder.flush();
    }

    public Quota quota() {
        return recorder.quota();
    }

    public UsageStatus status() {
        return recorder.status();
    }

    public void addListener(UsageListener listener) {
        recorder.addListener(listener);
    }

    public void removeListener(UsageListener listener) {
        recorder.removeListener(listener);
    }

    public ExportResult export(ExportOptions options) {
        recorder.flush();
        return new RollupExporter(engine, prunedStore(), new Backoff(new SecureRandom())).run(options);
    }

    /** Imports in one transaction; events older than the raw-event retention are left out. */
    public ImportResult importEvents(List<UsageEvent> events) {
        Instant cutoff = engine.config.clock().instant().minus(settings.retention());
        List<UsageEvent> kept = events.stream().filter(e -> !e.ts().isBefore(cutoff)).toList();
        try {
            UsageStore.Imported imported = prunedStore().importEvents(kept);
            return new ImportResult(imported.added(), imported.present(), events.size() - kept.size());
        } catch (IOException e) {
            throw io("cannot import usage", e);
        }
    }

    /** Writes the raw events since {@code since} as JSON lines; returns how many. */
    public long exportEvents(Instant since, Writer out) {
        recorder.flush();
        long[] count = {0};
        try {
            prunedStore().forEachEvent(since, e -> {
                out.write(UsageLines.format(e));
                out.write('\n');
                count[0]++;
            });
            out.flush();
        } catch (IOException e) {
            throw io("cannot export usage events", e);
        }
        return count[0];
    }

    public UsageStore.Status storeStatus() {
        recorder.flush();
        try {
            return prunedStore().status();
        } catch (IOException e) {
            throw io("cannot read the usage store", e);
        }
    }

    /** Prunes now, then compacts the store, which the hourly prune leaves out for being slow. */
    public UsageStore.Pruned prune() {
        recorder.flush();
        UsageStore s = store();
        UsageStore.Pruned pruned;
        synchronized (this) {
            pruned = pruneNow(s);
        }
        try {
            s.compact();
        } catch (IOException e) {
            throw io("cannot compact the usage store", e);
        }
        return pruned;
    }

    /** The store, opened on first use. */
    synchronized UsageStore store() {
        if (store == null) {
            try {
                store = settings.store() != null ? settings.store() : H2UsageStore.open(home(), engine.config.sleeper());
            } catch (IOException e) {
                throw io("cannot open the usage store", e);
            }
        }
        return store;
    }

    /** The store, pruned first when due: every use but an explicit {@link #prune()} prunes on the way. */
    private UsageStore prunedStore() {
        UsageStore s = store();
        pruneIfDue();
        return s;
    }

    /** Prunes when this client has not pruned for an hour; a failure is logged, not thrown. */
    synchronized void pruneIfDue() {
        Instant now = engine.config.clock().instant();
        if (lastPrune != null && now.isBefore(lastPrune.plus(PRUNE_EVERY))) {
            return;
        }
        try {
            pruneNow(store());
        } catch (CcpException e) {
            LOG.log(Level.WARNING, "usage prune failed, trying again in an hour: {0}", e.getMessage());
        }
    }

    private UsageStore.Pruned pruneNow(UsageStore s) {
        Instant now = engine.config.clock().instant();
        lastPrune = now;
        try {
            return s.prune(now.minus(settings.retention()), now.minus(ROLLUP_RETENTION));
        } catch (IOException e) {
            throw io("cannot prune the usage store", e);
        }
    }

    /** Writes what is buffered, stops the writer thread and closes the store. */
    @Override
    public void close() {
        recorder.close();
        ScheduledExecutorService w;
        UsageStore s;
        synchronized (this) {
            w = writer;
            s = store;
            store = null;
        }
        if (w != null) {
            w.shutdownNow();
        }
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot close the usage store: {0}", e.getMessage());
            }
        }
    }

    /**
     * The default executor: one daemon thread, started by the first event, that also looks for buffered
     * events every flush interval, so an event recorded just before the host goes quiet is written too.
     */
    private synchronized ScheduledExecutorService writer() {
        if (writer == null) {
            ScheduledExecutorService w = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ccp-usage-writer");
                t.setDaemon(true);
                return t;
            });
            long every = settings.flushInterval().toMillis();
            w.scheduleWithFixedDelay(() -> {
                if (recorder.hasWork()) {
                    recorder.schedule();
                }
            }, every, every, TimeUnit.MILLISECONDS);
            writer = w;
        }
        return writer;
    }

    private static CcpException io(String what, IOException e) {
        return new CcpException(Kind.IO, what + ": " + e.getMessage(), null, e);
    }
}
