package dev.ccp.spi.store;

import dev.ccp.spi.usage.UsageEvent;
import dev.ccp.spi.wire.RollupRow;
import java.io.Closeable;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Where the SDK keeps usage on the user's machine: raw events for a while, and the hourly rollups
 * per (UTC hour, model) that outlive them and are what gets exported. The default keeps both in an
 * embedded database under the SDK's home; a host tool may keep them elsewhere.
 *
 * <p>Contract every implementation keeps:
 * <ul>
 *   <li>Rollups are maintained incrementally, in the same transaction as the events they count, never
 *       recomputed from raw events: pruning raw events leaves the rollups as they were.</li>
 *   <li>Each change to a rollup row raises its {@link RollupRow#revision() revision} by one; a new row
 *       starts at 1. The revision the server acknowledged is kept next to it (0 until then), and a row is
 *       pending while its revision is higher.</li>
 *   <li>Every method is atomic: it happens whole or not at all. Implementations are thread-safe.</li>
 * </ul>
 */
public interface UsageStore extends Closeable {

    /** Records events, each as a new one (two equal events are two requests). All or nothing. */
    void record(List<UsageEvent> events) throws IOException;

    /**
     * Imports events, skipping each one whose content equals an event already stored (recorded or
     * imported) or an earlier one in the list, so importing the same file twice counts it once. The
     * content is the event's canonical JSON line, so two byte-identical events of the same millisecond
     * collapse into one. All or nothing.
     */
    Imported importEvents(List<UsageEvent> events) throws IOException;

    /**
     * The rollup rows whose revision is higher than the acknowledged one, with {@code from <= hour <
     * to}, oldest hour first, then by model.
     */
    List<RollupRow> pending(Instant from, Instant to) throws IOException;

    /**
     * Records that the server holds these rows: each row's acknowledged revision becomes the one sent,
     * unless the row has changed since it was read (its revision moved on), in which case it stays
     * pending.
     *
     * @return how many rows were marked
     */
    int markExported(List<RollupRow> rows) throws IOException;

    /** All rollup rows with {@code from <= hour < to}, oldest hour first, then by model. */
    List<RollupRow> rollups(Instant from, Instant to) throws IOException;

    /** Requests and token sums over the rollups with {@code from <= hour < to}. */
    Totals totals(Instant from, Instant to) throws IOException;

    /** Calls {@code sink} for each raw event with {@code ts >= since}, oldest first. */
    void forEachEvent(Instant since, EventSink sink) throws IOException;

    /** Deletes raw events older than {@code eventsBefore} and rollups whose hour is older than {@code rollupsBefore}. */
    Pruned prune(Instant eventsBefore, Instant rollupsBefore) throws IOException;

    Status status() throws IOException;

    /**
     * Gives back the disk space that deletes freed, where the store can; it may take a while, so the
     * SDK calls it only when asked to prune, never from the background. Does nothing by default.
     */
    default void compact() throws IOException {
    }

    /** Receives events one by one, so an export never holds them all in memory. */
    @FunctionalInterface
    interface EventSink {
        void accept(UsageEvent event) throws IOException;
    }

    /** What an import did: events added, and events skipped because they were stored already. */
    record Imported(int added, int present) {
    }

    /** Counts over a span of hours, for quotas. */
    record Totals(long requests, long tokensIn, long tokensOut) {

        public static final Totals ZERO = new Totals(0, 0, 0);

        public Totals plus(Totals other) {
            return new Totals(requests + other.requests, tokensIn + other.tokensIn, tokensOut + other.tokensOut);
        }
    }

    /** What a prune deleted. */
    record Pruned(long events, long rollups) {
    }

    /**
     * What the store holds.
     *
     * @param location where it lives, for people (a file path for the default store)
     * @param bytesOnDisk its size, or -1 when it has no file of its own
     * @param oldestEvent null when there are no raw events
     * @param newestEvent null when there are no raw events
     * @param pendingRows rollup rows not yet acknowledged by the server, whatever their hour
     */
    record Status(String location, long bytesOnDisk, long events, long rollups,
            Instant oldestEvent, Instant newestEvent, long pendingRows) {
    }
}
