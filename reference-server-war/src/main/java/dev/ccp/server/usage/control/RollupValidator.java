package dev.ccp.server.usage.control;

import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.spi.usage.LatencyBuckets;
import dev.ccp.spi.usage.ModelId;
import dev.ccp.spi.wire.Problem;
import dev.ccp.spi.wire.RollupRow;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The strict schema of an ingest batch beyond what JSON parsing checks: every refusal names the
 * offending row, so a client can fix its data instead of guessing.
 */
public final class RollupValidator {

    public static final int MAX_ROWS = 1000;
    static final long MAX_REQUESTS_PER_HOUR = 10_000_000L;
    static final long MAX_TOKENS_PER_HOUR = 100_000_000_000L;
    public static final Duration RETENTION = Duration.ofDays(400);

    private RollupValidator() {
    }

    public static void validate(List<RollupRow> rows, Instant now) {
        if (rows == null || rows.isEmpty()) {
            throw ProblemException.badRequest("send {\"rows\": [...]} with at least one row");
        }
        if (rows.size() > MAX_ROWS) {
            throw new ProblemException(Problem.of(413, "batch-too-large", "Batch too large",
                    "a batch holds at most " + MAX_ROWS + " rows, this one has " + rows.size() + "; send it in smaller batches"));
        }
        Instant currentHour = Instant.ofEpochSecond(now.getEpochSecond() - Math.floorMod(now.getEpochSecond(), 3600));
        Instant oldest = currentHour.minus(RETENTION);
        Set<Cell> seen = new HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            RollupRow row = rows.get(i);
            if (row == null) {
                throw refuse(i, "", "is null");
            }
            if (row.hour() == null || row.hour().getEpochSecond() % 3600 != 0 || row.hour().getNano() != 0) {
                throw refuse(i, ".hour", "must be the start of a UTC hour, such as 2026-11-26T10:00:00Z, was " + row.hour());
            }
            if (row.hour().isAfter(currentHour)) {
                throw refuse(i, ".hour", "is in the future (" + row.hour() + ")");
            }
            if (row.hour().isBefore(oldest)) {
                throw refuse(i, ".hour", "is older than the " + RETENTION.toDays() + "-day retention window (" + row.hour() + ")");
            }
            if (!ModelId.valid(row.model())) {
                throw refuse(i, ".model", "must match " + ModelId.PATTERN.pattern() + ", was '" + abbreviate(row.model()) + "'");
            }
            if (!seen.add(new Cell(row.model(), row.hour()))) {
                throw refuse(i, "", "repeats model " + row.model() + " at " + row.hour() + " within the batch");
            }
            if (row.revision() < 1) {
                throw refuse(i, ".revision", "must be at least 1, was " + row.revision());
            }
            counts(i, row);
        }
    }

    private record Cell(String model, Instant hour) {
    }

    private static void counts(int i, RollupRow row) {
        range(i, ".requests", row.requests(), MAX_REQUESTS_PER_HOUR);
        if (row.requests() == 0) {
            // A seat that made no requests must not count towards k for anyone else's figures.
            throw refuse(i, ".requests", "must be at least 1: send no row for an hour without requests");
        }
        range(i, ".errors", row.errors(), row.requests());
        range(i, ".rate_limited", row.rateLimited(), row.requests());
        range(i, ".offloaded", row.offloaded(), row.requests());
        range(i, ".tokens_in", row.tokensIn(), MAX_TOKENS_PER_HOUR);
        range(i, ".tokens_out", row.tokensOut(), MAX_TOKENS_PER_HOUR);
        if (row.errors() + row.rateLimited() > row.requests()) {
            throw refuse(i, "", "errors plus rate_limited exceed requests");
        }
        List<Long> histogram = row.latencyHistogram();
        if (histogram == null || histogram.size() != LatencyBuckets.COUNT) {
            throw refuse(i, ".latency_histogram", "must have " + LatencyBuckets.COUNT + " buckets (upper bounds "
                    + LatencyBuckets.UPPER_BOUNDS_MS + " ms, then the rest)");
        }
        long sum = 0;
        for (int b = 0; b < histogram.size(); b++) {
            Long n = histogram.get(b);
            long count = n == null ? -1 : n;
            if (count < 0 || count > row.requests()) {
                throw refuse(i, ".latency_histogram[" + b + "]", "must be between 0 and " + row.requests() + ", was " + count);
            }
            sum += count;
        }
        if (sum != row.requests()) {
            throw refuse(i, ".latency_histogram", "counts add up to " + sum + " but requests is " + row.requests());
        }
    }

    /** Refuses a count outside 0..max; the message is only put together for a refusal. */
    private static void range(int i, String field, long value, long max) {
        if (value < 0 || value > max) {
            throw refuse(i, field, "must be between 0 and " + max + ", was " + value);
        }
    }

    private static ProblemException refuse(int row, String field, String why) {
        return new ProblemException(Problem.of(400, "invalid-rollup", "Invalid rollup row", "rows[" + row + "]" + field + " " + why));
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 70 ? text.substring(0, 70) + "…" : text;
    }
}
