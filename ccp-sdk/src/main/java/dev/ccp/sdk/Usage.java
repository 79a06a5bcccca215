package dev.ccp.sdk;

import dev.ccp.sdk.internal.UsageEngine;
import dev.ccp.spi.store.UsageStore;
import dev.ccp.spi.usage.Outcome;
import dev.ccp.spi.usage.UsageEvent;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Usage on this machine: record each model request, ask for quotas, export the hourly rollups to the
 * server, and manage the local store. Get it from {@link CcpClient#usage()}.
 *
 * <pre>{@code
 * long start = System.nanoTime();
 * … call the model …
 * ccp.usage().record("claude-sonnet-4-5", Outcome.OK, Duration.ofNanos(System.nanoTime() - start), in, out, false);
 * }</pre>
 *
 * <p>{@link #record} is meant for every request: it checks the event, puts it in a bounded buffer
 * and returns; a background writer stores events in batches. Its failures never reach the host: see
 * {@link #status()} and {@link #addListener}. The store is opened on first use, not before.
 */
public final class Usage {

    private final UsageEngine engine;

    Usage(UsageEngine engine) {
        this.engine = engine;
    }

    /**
     * Records one model request.
     *
     * @throws NullPointerException for a null event
     * @throws IllegalStateException once the client is closed
     */
    public void record(UsageEvent event) {
        engine.record(Objects.requireNonNull(event, "event"));
    }

    /**
     * Records one model request that ends now.
     *
     * @throws IllegalArgumentException for a model id that is not an id, a negative latency or token count
     */
    public void record(String model, Outcome outcome, Duration latency, long tokensIn, long tokensOut, boolean offloaded) {
        Objects.requireNonNull(latency, "latency");
        record(new UsageEvent(engine.clock().instant(), model, outcome, latency.toMillis(), tokensIn, tokensOut, offloaded));
    }

    /** Writes what is buffered now, on this thread. @throws CcpException {@link CcpException.Kind#IO} */
    public void flush() {
        engine.flush();
    }

    /**
     * Requests and tokens this minute, today and this month (UTC), buffered events included. Cheap:
     * the store is read about once a minute.
     *
     * @throws CcpException {@link CcpException.Kind#IO} when the store cannot be read
     */
    public Quota quota() {
        return engine.quota();
    }

    /** How the background writing is doing. Never throws. */
    public UsageStatus status() {
        return engine.status();
    }

    public void addListener(UsageListener listener) {
        engine.addListener(listener);
    }

    public void removeListener(UsageListener listener) {
        engine.removeListener(listener);
    }

    /**
     * Sends the rollup rows that changed since the server last acknowledged them, for the hours the
     * options say, in batches of at most 500 rows; retries what is worth retrying with exponential
     * backoff and the server's {@code Retry-After}. Each accepted batch is marked as sent before the
     * next goes, so an export stopped half-way sends only the rest when run again.
     *
     * @throws CcpException {@link CcpException.Kind#NOT_LOGGED_IN}; {@link CcpException.Kind#FORBIDDEN}
     *     (problem {@code privacy-tier}: the plan keeps usage local; {@code no-seat});
     *     {@link CcpException.Kind#BAD_REQUEST} with the server's problem naming the row;
     *     {@link CcpException.Kind#SERVER_UNREACHABLE} or {@link CcpException.Kind#SERVER_ERROR} after the
     *     last retry; {@link CcpException.Kind#IO}
     */
    public ExportResult export(ExportOptions options) {
        return engine.export(Objects.requireNonNull(options, "options"));
    }

    /**
     * Adds events in one transaction. An event equal to one stored already (recorded or imported) is
     * skipped, so importing the same file twice counts it once; events older than the raw-event
     * retention are skipped too.
     */
    public ImportResult importEvents(List<UsageEvent> events) {
        return engine.importEvents(List.copyOf(events));
    }

    /**
     * Writes the raw events with {@code ts >= since} to {@code out} as {@link UsageLines}, oldest first,
     * and returns how many. Buffered events are written to the store first.
     */
    public long exportEvents(Instant since, Writer out) {
        return engine.exportEvents(Objects.requireNonNull(since, "since"), Objects.requireNonNull(out, "out"));
    }

    /** What the store holds; buffered events are written first. */
    public UsageStore.Status storeStatus() {
        return engine.storeStatus();
    }

    /**
     * Deletes raw events older than {@link #retention()} and rollups older than 400 days, then gives the
     * freed disk space back (which can take a second for a large store). The store also prunes itself,
     * without compacting, about hourly.
     */
    public UsageStore.Pruned prune() {
        return engine.prune();
    }

    /** How long raw events are kept. */
    public Duration retention() {
        return engine.retention();
    }

    /** The folder of the default store's file. */
    public Path home() {
        return engine.home();
    }
}
