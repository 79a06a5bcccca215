package dev.ccp.sdk;

import dev.ccp.spi.wire.RollupRow;
import java.time.Instant;
import java.util.List;

/**
 * What an export sent, or, for a dry run, would send.
 *
 * @param from the first hour considered
 * @param to the end of the last hour considered (exclusive)
 * @param rows the rollup rows selected: changed since the server last acknowledged them
 * @param batches how many batches the rows make
 * @param batchesSent how many were accepted (0 for a dry run)
 * @param stored rows the server stored as new or newer, summed over the accepted batches
 * @param unchanged rows the server already held at that revision
 * @param refused rows the server refused to change (it kept what it had)
 * @param retries attempts that failed and were retried
 */
public record ExportResult(Instant from, Instant to, List<RollupRow> rows, int batches, int batchesSent,
        long stored, long unchanged, long refused, int retries, boolean dryRun) {

    public ExportResult {
        rows = List.copyOf(rows);
    }

    /** Whether there was nothing to send. */
    public boolean nothingToSend() {
        return rows.isEmpty();
    }
}
