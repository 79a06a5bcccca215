package dev.ccp.sdk.internal;

import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.CcpException.Kind;
import dev.ccp.sdk.ExportListener;
import dev.ccp.sdk.ExportOptions;
import dev.ccp.sdk.ExportResult;
import dev.ccp.spi.store.UsageStore;
import dev.ccp.spi.wire.IngestResult;
import dev.ccp.spi.wire.Problem;
import dev.ccp.spi.wire.RollupBatch;
import dev.ccp.spi.wire.RollupRow;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One export: the rollup rows changed since the server last acknowledged them, in batches of
 * {@value #BATCH_ROWS}, each marked as sent in the store as soon as the server accepted it. Stopping
 * at any point (a crash, an interrupt, a refusal) loses nothing and repeats nothing: the next export
 * sends exactly the rows still pending. Each batch carries one {@code Idempotency-Key} across its
 * retries, so a retry after a lost answer is recognised by the server as the same batch.
 */
final class RollupExporter {

    static final int BATCH_ROWS = 500;
    static final String PRIVACY_TIER = "privacy-tier";

    private final Engine engine;
    private final UsageStore store;
    private final Backoff backoff;
    private int retries;

    RollupExporter(Engine engine, UsageStore store, Backoff backoff) {
        this.engine = engine;
        this.store = store;
        this.backoff = backoff;
    }

    ExportResult run(ExportOptions options) {
        Instant now = engine.config.clock().instant();
        // The current hour is included; rows of later hours (a clock ahead) wait until their hour comes.
        Instant to = Instant.ofEpochMilli(RollupTable.hourOf(now.toEpochMilli()) + RollupTable.HOUR_MS);
        Instant from = to.minus(Duration.ofHours(options.hours()));
        List<RollupRow> rows;
        try {
            rows = store.pending(from, to);
        } catch (IOException e) {
            throw new CcpException(Kind.IO, "cannot read the usage store: " + e.getMessage(), null, e);
        }
        int batches = (rows.size() + BATCH_ROWS - 1) / BATCH_ROWS;
        ExportResult result = new ExportResult(from, to, rows, batches, 0, 0, 0, 0, 0, options.dryRun());
        if (options.dryRun() || rows.isEmpty()) {
            return result;
        }
        engine.session(); // not logged in: say so before announcing a send
        ExportListener listener = options.listener();
        listener.onStart(result);
        for (int b = 0; b < batches; b++) {
            List<RollupRow> batch = rows.subList(b * BATCH_ROWS, Math.min(rows.size(), (b + 1) * BATCH_ROWS));
            IngestResult answer = send(batch, listener, b, batches);
            try {
                store.markExported(batch);
            } catch (IOException e) {
                // The server holds the rows; sending them again next time is harmless (same revisions).
                throw new CcpException(Kind.IO, "the server took batch " + (b + 1) + " but it could not be marked as sent: "
                        + e.getMessage(), null, e);
            }
            result = new ExportResult(from, to, rows, batches, b + 1, result.stored() + answer.stored(),
                    result.unchanged() + answer.unchanged(), result.refused() + answer.refused(), retries, false);
            listener.onBatch(result);
        }
        return result;
    }

    private IngestResult send(List<RollupRow> rows, ExportListener listener, int index, int batches) {
        String key = UUID.randomUUID().toString();
        RollupBatch batch = new RollupBatch(rows);
        for (int attempt = 1; ; attempt++) {
            int status;
            CcpException failure;
            String retryAfter = null;
            try {
                Api.IngestAnswer answer = engine.authorized((api, token) -> api.ingestRollups(token, key, batch));
                if (answer.result() != null) {
                    return answer.result();
                }
                status = answer.status();
                failure = answer.failure();
                retryAfter = answer.retryAfter();
            } catch (CcpException e) {
                if (e.kind() != Kind.SERVER_UNREACHABLE && e.kind() != Kind.SERVER_UNAVAILABLE) {
                    throw e;
                }
                status = Backoff.NO_ANSWER;
                failure = e;
            }
            Optional<Duration> wait = backoff.next(attempt, status, retryAfter, engine.config.clock().instant());
            if (wait.isEmpty()) {
                throw explain(failure, status, attempt, index, batches);
            }
            retries++;
            listener.onRetry(attempt, wait.get(), failure.getMessage());
            try {
                engine.config.sleeper().sleep(wait.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CcpException(Kind.IO, "export interrupted after " + index + " of " + batches
                        + " batches; run it again to send the rest", null, e);
            }
        }
    }

    private static CcpException explain(CcpException failure, int status, int attempts, int index, int batches) {
        Problem problem = failure.problem().orElse(null);
        String message = failure.getMessage();
        if (problem != null && PRIVACY_TIER.equals(problem.slug()) && problem.detail() == null) {
            message = "this org's plan keeps usage on this machine; a plan with the minimized privacy tier sends hourly rollups"
                    + (problem.upgradeUrl() == null ? "" : ". Upgrade at " + problem.upgradeUrl());
        }
        if (Backoff.retryable(status)) {
            message = message + " (gave up after " + attempts + (attempts == 1 ? " attempt" : " attempts") + ")";
        }
        if (index > 0) {
            message = message + "; " + index + " of " + batches + " batches were sent, the rest wait for the next export";
        }
        return new CcpException(failure.kind(), message, problem, failure);
    }
}
