package dev.ccp.sdk.internal;

import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.CcpException.Kind;
import dev.ccp.sdk.Quota;
import dev.ccp.sdk.UsageListener;
import dev.ccp.sdk.UsageStatus;
import dev.ccp.sdk.UsageStatus.State;
import dev.ccp.spi.store.UsageStore;
import dev.ccp.spi.usage.UsageEvent;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes usage events from the host's threads into a bounded buffer and writes them to the store in
 * batches, on the writer's executor: when a batch is full, when the oldest buffered event has waited
 * the flush interval, on {@link #flush} and on {@link #close}. Recording costs a lock and a list add;
 * it never waits for the disk and never throws for a failure of the store, which is reported through
 * {@link UsageStatus}, listeners and the log, while the events wait in memory to be written again.
 */
final class Recorder implements AutoCloseable {

    private static final Log LOG = Log.of(Recorder.class);

    private final UsageEngine engine;
    private final UsageSettings settings;
    private final Clock clock;
    private final QuotaCounter counter = new QuotaCounter();
    private final List<UsageListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    private final Object bufferLock = new Object();
    private List<UsageEvent> buffer = new ArrayList<>();
    private Instant firstBuffered;
    private boolean closed;

    /** Held while writing, so that writes happen one at a time and quota loads see none half done. */
    private final Object writeLock = new Object();
    /** Events taken from the buffer whose write failed: they go first next time. */
    private List<UsageEvent> carry = List.of();

    private volatile UsageStatus status;

    Recorder(UsageEngine engine, UsageSettings settings, Clock clock) {
        this.engine = engine;
        this.settings = settings;
        this.clock = clock;
        this.status = new UsageStatus(State.RECORDING, 0, 0, 0, null, clock.instant());
    }

    void record(UsageEvent event) {
        Objects.requireNonNull(event, "event");
        Instant now = clock.instant();
        boolean due;
        synchronized (bufferLock) {
            if (closed) {
                throw new IllegalStateException("the client is closed; usage can no longer be recorded");
            }
            if (buffer.size() >= settings.capacity()) {
                long n = dropped.incrementAndGet();
                if (n == 1 || n % 1000 == 0) {
                    LOG.log(Level.WARNING, "usage buffer full ({0} events): {1} events dropped so far", settings.capacity(), n);
                }
                return;
            }
            buffer.add(event);
            counter.recorded(event);
            if (firstBuffered == null) {
                firstBuffered = now;
            }
            due = buffer.size() >= settings.batchSize() || !now.isBefore(firstBuffered.plus(settings.flushInterval()));
        }
        recorded.incrementAndGet();
        if (due) {
            schedule();
        }
    }

    /** Writes everything buffered now, on the caller's thread. */
    void flush() {
        try {
            write();
        } catch (IOException e) {
            throw new CcpException(Kind.IO, "cannot write usage: " + e.getMessage(), null, e);
        }
    }

    /** Whether anything waits to be written: for the periodic tick. */
    boolean hasWork() {
        synchronized (bufferLock) {
            return !buffer.isEmpty() || !carry.isEmpty();
        }
    }

    /** Hands a write to the executor unless one is already waiting there. */
    void schedule() {
        if (!scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            settings.executor().execute(() -> {
                scheduled.set(false);
                try {
                    write();
                } catch (IOException | RuntimeException e) {
                    // Reported through the status, the listeners and the log by write(); the host never sees it.
                }
            });
        } catch (RejectedExecutionException e) {
            scheduled.set(false);
        }
    }

    Quota quota() {
        Instant now = clock.instant();
        if (counter.needsLoad(now)) {
            synchronized (writeLock) {
                if (counter.needsLoad(now)) {
                    QuotaCounter.Windows windows = QuotaCounter.Windows.of(now);
                    try {
                        UsageStore store = engine.store();
                        counter.loaded(now, windows, store.totals(windows.dayStart(), windows.dayEnd()),
                                store.totals(windows.monthStart(), windows.monthEnd()));
                    } catch (IOException e) {
                        throw new CcpException(Kind.IO, "cannot read usage totals: " + e.getMessage(), null, e);
                    }
                }
            }
        }
        return counter.quota(now);
    }

    UsageStatus status() {
        UsageStatus s = status;
        return new UsageStatus(s.state(), recorded.get(), written.get(), dropped.get(), s.lastError(), s.since());
    }

    void addListener(UsageListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    void removeListener(UsageListener listener) {
        listeners.remove(listener);
    }

    /** Refuses further events, writes what is buffered; what cannot be written is counted as dropped. */
    @Override
    public void close() {
        synchronized (bufferLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            write();
        } catch (IOException | RuntimeException e) {
            int lost;
            synchronized (bufferLock) {
                lost = buffer.size() + carry.size();
            }
            dropped.addAndGet(lost);
            LOG.log(Level.WARNING, "closing: {0} usage events could not be written and are lost: {1}", lost, e.getMessage());
        }
        change(State.CLOSED, status.lastError());
    }

    private void write() throws IOException {
        synchronized (writeLock) {
            while (true) {
                List<UsageEvent> batch = drain();
                if (batch.isEmpty()) {
                    return;
                }
                try {
                    engine.store().record(batch);
                } catch (IOException | RuntimeException e) {
                    synchronized (bufferLock) {
                        carry = batch;
                    }
                    failed(batch.size(), e);
                    throw e;
                }
                synchronized (bufferLock) {
                    carry = List.of();
                }
                counter.written(batch);
                written.addAndGet(batch.size());
                if (status.state() == State.FAILING) {
                    LOG.log(Level.INFO, "usage store writable again");
                    change(State.RECORDING, null);
                }
                engine.pruneIfDue();
            }
        }
    }

    /** The failed events first, then as much of the buffer as keeps the two within the capacity. */
    private List<UsageEvent> drain() {
        synchronized (bufferLock) {
            int room = Math.max(0, settings.capacity() - carry.size());
            List<UsageEvent> batch = new ArrayList<>(carry);
            if (buffer.size() <= room) {
                batch.addAll(buffer);
                buffer = new ArrayList<>();
                firstBuffered = null;
            } else {
                List<UsageEvent> taken = buffer.subList(0, room);
                batch.addAll(taken);
                taken.clear();
            }
            return batch;
        }
    }

    private void failed(int events, Exception e) {
        String message = e.getMessage();
        if (status.state() != State.FAILING) {
            LOG.log(Level.WARNING, "cannot write {0} usage events, keeping them to try again: {1}", events, message);
            change(State.FAILING, message);
        } else {
            LOG.log(Level.DEBUG, "still cannot write usage events: {0}", message);
        }
    }

    private void change(State state, String error) {
        status = new UsageStatus(state, recorded.get(), written.get(), dropped.get(), error, clock.instant());
        UsageStatus now = status();
        for (UsageListener listener : listeners) {
            try {
                listener.onStatus(now);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a usage listener failed", e);
            }
        }
    }
}
