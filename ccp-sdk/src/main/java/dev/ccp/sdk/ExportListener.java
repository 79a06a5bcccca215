package dev.ccp.sdk;

import java.time.Duration;

/** Hears how an export goes, to show progress. Called on the thread that exports. */
public interface ExportListener {

    /** The rows to send are known. Not called when there is nothing to send. */
    default void onStart(ExportResult plan) {
    }

    /** A batch was accepted and marked as sent; {@code soFar} sums the server's answers until now. */
    default void onBatch(ExportResult soFar) {
    }

    /**
     * A batch failed in a way worth retrying (busy, rate limited, unreachable); it is sent again with
     * the same {@code Idempotency-Key} after {@code wait}.
     *
     * @param attempt the attempt that failed, from 1
     */
    default void onRetry(int attempt, Duration wait, String reason) {
    }
}
