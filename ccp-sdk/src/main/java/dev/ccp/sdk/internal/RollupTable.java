package dev.ccp.sdk.internal;

import dev.ccp.spi.usage.LatencyBuckets;
import dev.ccp.spi.usage.Outcome;
import dev.ccp.spi.usage.UsageEvent;
import dev.ccp.spi.wire.RollupRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code usage_rollup} table: one row per (UTC hour, model) with counters that only ever grow.
 * A batch of events is folded into per-row deltas in memory first, so each touched row is written
 * once per batch and its revision goes up by exactly one.
 */
final class RollupTable {

    static final long HOUR_MS = Duration.ofHours(1).toMillis();

    /** Counter columns, in the order of {@link #deltas}' arrays: six totals, then the histogram. */
    static final List<String> COUNTERS = counters();
    private static final int REQUESTS = 0;
    private static final int ERRORS = 1;
    private static final int RATE_LIMITED = 2;
    private static final int OFFLOADED = 3;
    private static final int TOKENS_IN = 4;
    private static final int TOKENS_OUT = 5;
    private static final int HISTOGRAM = 6;

    static final String DDL = "CREATE TABLE IF NOT EXISTS usage_rollup ("
            + "hour_start BIGINT NOT NULL, model VARCHAR(64) NOT NULL, "
            + COUNTERS.stream().map(c -> c + " BIGINT NOT NULL").collect(Collectors.joining(", "))
            + ", revision BIGINT NOT NULL, exported_revision BIGINT NOT NULL, PRIMARY KEY (hour_start, model))";

    static final String SELECT = "SELECT hour_start, model, revision, " + String.join(", ", COUNTERS) + " FROM usage_rollup ";

    private static final String UPDATE = "UPDATE usage_rollup SET "
            + COUNTERS.stream().map(c -> c + " = " + c + " + ?").collect(Collectors.joining(", "))
            + ", revision = revision + 1 WHERE hour_start = ? AND model = ?";
    private static final String INSERT = "INSERT INTO usage_rollup (hour_start, model, " + String.join(", ", COUNTERS)
            + ", revision, exported_revision) VALUES (?, ?, " + "?, ".repeat(COUNTERS.size()) + "1, 0)";

    /** Where a row lives: the hour's start in epoch milliseconds, and the model. */
    record Key(long hourStart, String model) {
    }

    private RollupTable() {
    }

    static long hourOf(long epochMilli) {
        return Math.floorDiv(epochMilli, HOUR_MS) * HOUR_MS;
    }

    /** The counters each row gains from these events. */
    static Map<Key, long[]> deltas(List<UsageEvent> events) {
        Map<Key, long[]> deltas = new LinkedHashMap<>();
        for (UsageEvent e : events) {
            long[] d = deltas.computeIfAbsent(new Key(hourOf(e.ts().toEpochMilli()), e.model()), k -> new long[COUNTERS.size()]);
            d[REQUESTS]++;
            d[ERRORS] += e.outcome() == Outcome.ERROR ? 1 : 0;
            d[RATE_LIMITED] += e.outcome() == Outcome.RATE_LIMITED ? 1 : 0;
            d[OFFLOADED] += e.offloaded() ? 1 : 0;
            d[TOKENS_IN] += e.tokensIn();
            d[TOKENS_OUT] += e.tokensOut();
            d[HISTOGRAM + LatencyBuckets.bucketOf(e.latencyMs())]++;
        }
        return deltas;
    }

    /** Adds the deltas to their rows, creating rows at revision 1; each touched row's revision goes up by one. */
    static void apply(Connection c, Map<Key, long[]> deltas) throws SQLException {
        List<Map.Entry<Key, long[]>> missing = new ArrayList<>();
        try (PreparedStatement update = c.prepareStatement(UPDATE)) {
            for (Map.Entry<Key, long[]> delta : deltas.entrySet()) {
                int i = 1;
                for (long value : delta.getValue()) {
                    update.setLong(i++, value);
                }
                update.setLong(i++, delta.getKey().hourStart());
                update.setString(i, delta.getKey().model());
                if (update.executeUpdate() == 0) {
                    missing.add(delta);
                }
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(INSERT)) {
            for (Map.Entry<Key, long[]> delta : missing) {
                insert.setLong(1, delta.getKey().hourStart());
                insert.setString(2, delta.getKey().model());
                int i = 3;
                for (long value : delta.getValue()) {
                    insert.setLong(i++, value);
                }
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** The rows a {@link #SELECT} answered. */
    static List<RollupRow> rows(ResultSet rs) throws SQLException {
        List<RollupRow> rows = new ArrayList<>();
        while (rs.next()) {
            int base = 4;
            Long[] histogram = new Long[LatencyBuckets.COUNT];
            for (int b = 0; b < histogram.length; b++) {
                histogram[b] = rs.getLong(base + HISTOGRAM + b);
            }
            rows.add(new RollupRow(Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2), rs.getLong(3),
                    rs.getLong(base + REQUESTS), rs.getLong(base + ERRORS), rs.getLong(base + RATE_LIMITED),
                    rs.getLong(base + OFFLOADED), rs.getLong(base + TOKENS_IN), rs.getLong(base + TOKENS_OUT), List.of(histogram)));
        }
        return Collections.unmodifiableList(rows);
    }

    private static List<String> counters() {
        List<String> columns = new ArrayList<>(List.of("requests", "errors", "rate_limited", "offloaded", "tokens_in", "tokens_out"));
        for (int b = 0; b < LatencyBuckets.COUNT; b++) {
            columns.add("latency_" + b);
        }
        return List.copyOf(columns);
    }
}
