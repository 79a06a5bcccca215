package dev.ccp.server.usage.control;

import dev.ccp.server.platform.database.Database;
import dev.ccp.spi.usage.LatencyBuckets;
import dev.ccp.spi.wire.IngestResult;
import dev.ccp.spi.wire.RollupRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Rollup rows in the database, through plain JDBC batches: ingest is the server's hottest write path
 * and a row-by-row ORM would cost several round trips per row.
 *
 * <p>A row is keyed by (org, seat, model, hour). The stored row only ever moves to a higher
 * revision, so a repeated, late or reordered batch converges to the same table.
 *
 * <p>The 7-day view reads per-(seat, model, 6-hour bucket) sums rather than every hourly row: they
 * give the totals, which seats stand behind them, and in which of the bucket's hours. Ingest keeps them in the batch's own
 * transaction, adding to each of its seat's buckets by how much the batch changed the rows there.
 * That costs in proportion to what the batch changed, whatever the size of the org; no two seats
 * write the same sums, so an org's exporters never queue for each other; and a health read sees
 * every acknowledged batch.
 */
public final class RollupStore {

    private static final String HIST = IntStream.range(0, LatencyBuckets.COUNT).mapToObj(i -> "h" + i).collect(Collectors.joining(", "));
    static final String TOTALS = "requests, errors, rate_limited, offloaded, tokens_in, tokens_out, " + HIST;
    private static final String COLUMNS = "org_id, seat, model, hour_start, revision, " + TOTALS + ", received_at";
    /**
     * What a seat's bucket sums add up: the totals, and {@code hours}, which has bit h set when the
     * seat has a row in the bucket's hour h. A row's bit is added once, when the row is new, so
     * adding is the same as setting it.
     */
    private static final String SUMMED = TOTALS + ", hours";
    private static final String ROW = "(cast(? as varchar(40)), cast(? as varchar(40)), cast(? as varchar(64)), cast(? as timestamp), "
            + "cast(? as bigint), ".repeat(7 + LatencyBuckets.COUNT) + "cast(? as timestamp))";
    /**
     * The UTC timestamp of the {@code epoch} column of an unnested array of epoch seconds: plain
     * arithmetic, where {@code to_timestamp(epoch) at time zone 'UTC'} converts through a time zone per row.
     */
    private static final String FROM_EPOCH = "(timestamp '1970-01-01 00:00:00' + epoch * interval '1 second')";
    private static final String REPLACE = java.util.Arrays.stream((TOTALS + ", revision, received_at").split(", "))
            .map(c -> c + " = excluded." + c).collect(Collectors.joining(", "));

    /**
     * Stores a batch's rows as new rows, or (with {@code on conflict}) as replacements where the
     * stored row has a lower revision, and names the rows it wrote. The batch travels as one array
     * per column, so the statement's text and plan are the same for every batch and PostgreSQL
     * parses 22 parameters rather than 22 per row.
     */
    private static final String INSERT_POSTGRES = "insert into usage_rollups (" + COLUMNS + ") select cast(? as varchar(40)), "
            + "cast(? as varchar(40)), model, " + FROM_EPOCH + ", revision, " + TOTALS
            + ", cast(? as timestamp) from unnest(cast(? as varchar(64)[]), " + "cast(? as bigint[]), ".repeat(7 + LatencyBuckets.COUNT)
            + "cast(? as bigint[])) as t(model, epoch, revision, " + TOTALS + ") on conflict ";
    private static final String RETURNING_CELLS = " returning model, cast(extract(epoch from hour_start) as bigint)";
    private static final String INSERT_NEW_POSTGRES = INSERT_POSTGRES + "do nothing" + RETURNING_CELLS;
    private static final String UPSERT_POSTGRES = INSERT_POSTGRES + "(org_id, seat, hour_start, model) do update set " + REPLACE
            + " where usage_rollups.revision < excluded.revision" + RETURNING_CELLS;

    /** H2 takes a batch of one-row merges and counts per row. */
    private static final String UPSERT_H2 = "merge into usage_rollups t using (values " + ROW + ") excluded(" + COLUMNS + ") "
            + "on t.org_id = excluded.org_id and t.seat = excluded.seat and t.hour_start = excluded.hour_start and t.model = excluded.model "
            + "when matched and t.revision < excluded.revision then update set " + REPLACE
            + " when not matched then insert (" + COLUMNS + ") values ("
            + java.util.Arrays.stream(COLUMNS.split(", ")).map(c -> "excluded." + c).collect(Collectors.joining(", ")) + ")";

    /** The 7-day view's buckets: k-safety counts seats per model in each. */
    public static final long SEAT_BUCKET_SECONDS = 6 * 3600;
    private static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);

    /**
     * Stores a validated batch for one seat in the caller's transaction, which must commit before
     * the answer is given. The caller holds the seat's lock until then ({@link Ingest} locks its
     * membership row): one batch of a seat at a time, as a batch's deltas are taken against the rows
     * as the previous one left them.
     *
     * @param idempotencyKey when not null, a repeat of the same key answers the first answer again
     * @throws IllegalStateException with the database's error; when a concurrent batch won a race (a
     *         duplicate first insert, a serialization failure or a deadlock) {@link dev.ccp.server.platform.database.Tx}
     *         runs the whole transaction again, and it then sees what the winner wrote
     */
    public IngestResult ingest(Connection c, String orgId, String seat, List<RollupRow> rows, String idempotencyKey, Instant now) {
        try {
            return store(c, orgId, seat, rows, idempotencyKey, now);
        } catch (SQLException e) {
            throw new IllegalStateException("storing rollups failed", e);
        }
    }

    private IngestResult store(Connection c, String orgId, String seat, List<RollupRow> rows, String key, Instant now)
            throws SQLException {
        if (key != null) {
            IngestResult earlier = earlierAnswer(c, orgId, seat, key, now);
            if (earlier != null) {
                return earlier;
            }
        }
        boolean postgres = Database.postgres(c);
        Map<Cell, long[]> before;
        java.util.Set<Cell> stored;
        if (postgres) {
            // Most rows of a batch are new: inserting them first spares looking each one up, and only
            // the rows already there are read for their deltas and replaced if their revision is higher.
            stored = writePostgres(c, INSERT_NEW_POSTGRES, orgId, seat, rows, now);
            List<RollupRow> existing = rows.stream().filter(row -> !stored.contains(Cell.of(row))).toList();
            before = existing.isEmpty() ? Map.of() : previous(c, true, orgId, seat, existing);
            if (!existing.isEmpty()) {
                stored.addAll(writePostgres(c, UPSERT_POSTGRES, orgId, seat, existing, now));
            }
        } else {
            before = previous(c, false, orgId, seat, rows);
            stored = upsertH2(c, orgId, seat, rows, now);
        }
        int refused = 0;
        Map<Cell, long[]> deltas = new java.util.TreeMap<>();
        for (RollupRow row : rows) {
            Cell cell = Cell.of(row);
            long[] previous = before.get(cell);
            long[] totals = totals(row);
            if (stored.contains(cell)) {
                long bucket = bucketOf(cell.hour());
                long[] delta = deltas.computeIfAbsent(new Cell(row.model(), bucket), b -> new long[totals.length + 1]);
                for (int t = 0; t < totals.length; t++) {
                    delta[t] += totals[t] - (previous == null ? 0 : previous[t + 1]);
                }
                if (previous == null) {
                    delta[totals.length] += 1L << ((cell.hour() - bucket) / 3600);
                }
            } else if (previous != null && previous[0] == row.revision() && !sameTotals(previous, row)) {
                refused++;
            }
        }
        if (!deltas.isEmpty()) {
            addToSums(c, postgres, orgId, seat, deltas);
        }
        IngestResult result = new IngestResult(stored.size(), rows.size() - stored.size() - refused, refused);
        if (key != null) {
            remember(c, orgId, seat, key, result, now);
        }
        return result;
    }

    /** A model's hour or 6-hour bucket, as epoch seconds; ordered by time, then model. */
    record Cell(String model, long hour) implements Comparable<Cell> {
        static Cell of(RollupRow row) {
            return new Cell(row.model(), row.hour().getEpochSecond());
        }

        @Override
        public int compareTo(Cell other) {
            int byHour = Long.compare(hour, other.hour);
            return byHour != 0 ? byHour : model.compareTo(other.model);
        }
    }

    /**
     * Looks up each of a batch's keys in the primary key, however many other rows its seat has in
     * those hours. The lateral subquery's {@code limit 1} (the key is unique) keeps it a lookup per
     * key: as a plain join, a plan made while the table was nearly empty hashed the keys and read
     * every row of the seat, and PostgreSQL kept that plan for the statement as the table grew.
     */
    private static final String PREVIOUS_POSTGRES = "select k.model, k.epoch, u.* from unnest(cast(? as varchar(64)[]), "
            + "cast(? as bigint[])) as k(model, epoch) cross join lateral (select revision, " + TOTALS + " from usage_rollups "
            + "where org_id = ? and seat = ? and hour_start = " + FROM_EPOCH + " and model = k.model limit 1) u";

    /** The stored revision and totals of the batch's rows that exist already. */
    private static Map<Cell, long[]> previous(Connection c, boolean postgres, String orgId, String seat, List<RollupRow> rows)
            throws SQLException {
        Map<Cell, long[]> stored = new HashMap<>();
        int values = 1 + 6 + LatencyBuckets.COUNT;
        if (postgres) {
            try (PreparedStatement select = c.prepareStatement(PREVIOUS_POSTGRES)) {
                select.setObject(1, rows.stream().map(RollupRow::model).toArray(String[]::new));
                select.setObject(2, rows.stream().mapToLong(r -> r.hour().getEpochSecond()).toArray());
                select.setString(3, orgId);
                select.setString(4, seat);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        stored.put(new Cell(rs.getString(1), rs.getLong(2)), longs(rs, 3, values));
                    }
                }
            }
            return stored;
        }
        java.util.Set<Cell> wanted = rows.stream().map(Cell::of).collect(Collectors.toSet());
        long first = rows.stream().mapToLong(r -> r.hour().getEpochSecond()).min().orElseThrow();
        long last = rows.stream().mapToLong(r -> r.hour().getEpochSecond()).max().orElseThrow();
        try (PreparedStatement select = c.prepareStatement("select model, hour_start, revision, " + TOTALS + " from usage_rollups "
                + "where org_id = ? and seat = ? and hour_start >= ? and hour_start <= ? and model = any(?)")) {
            select.setString(1, orgId);
            select.setString(2, seat);
            select.setObject(3, utc(Instant.ofEpochSecond(first)));
            select.setObject(4, utc(Instant.ofEpochSecond(last)));
            select.setArray(5, c.createArrayOf("varchar", rows.stream().map(RollupRow::model).distinct().toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Cell cell = new Cell(rs.getString(1), instant(rs.getObject(2, LocalDateTime.class)).getEpochSecond());
                    if (wanted.contains(cell)) {
                        stored.put(cell, longs(rs, 3, values));
                    }
                }
            }
        }
        return stored;
    }

    /** Writes rows with one of the PostgreSQL insert statements above, and names the rows it wrote. */
    private static java.util.Set<Cell> writePostgres(Connection c, String sql, String orgId, String seat, List<RollupRow> rows,
            Instant now) throws SQLException {
        Map<Cell, long[]> values = new java.util.LinkedHashMap<>();
        for (RollupRow row : rows) {
            long[] totals = totals(row);
            long[] revisionAndTotals = new long[1 + totals.length];
            revisionAndTotals[0] = row.revision();
            System.arraycopy(totals, 0, revisionAndTotals, 1, totals.length);
            values.put(Cell.of(row), revisionAndTotals);
        }
        java.util.Set<Cell> written = new java.util.HashSet<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, orgId);
            s.setString(2, seat);
            s.setObject(3, utc(now));
            bindColumns(s, 4, values);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    written.add(new Cell(rs.getString(1), rs.getLong(2)));
                }
            }
        }
        return written;
    }

    /** Writes the rows that are new or carry a higher revision than the stored ones, and names them. */
    private static java.util.Set<Cell> upsertH2(Connection c, String orgId, String seat, List<RollupRow> rows, Instant now)
            throws SQLException {
        java.util.Set<Cell> stored = new java.util.HashSet<>();
        try (PreparedStatement s = c.prepareStatement(UPSERT_H2)) {
            for (RollupRow row : rows) {
                bind(s, orgId, seat, row, now);
                s.addBatch();
            }
            int[] counts = s.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    stored.add(Cell.of(rows.get(i)));
                }
            }
        }
        return stored;
    }

    private static long[] longs(ResultSet rs, int first, int count) throws SQLException {
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = rs.getLong(first + i);
        }
        return values;
    }

    private static boolean sameTotals(long[] existing, RollupRow row) {
        long[] sent = totals(row);
        for (int i = 0; i < sent.length; i++) {
            if (sent[i] != existing[i + 1]) {
                return false;
            }
        }
        return true;
    }

    private static long[] totals(RollupRow row) {
        long[] values = new long[6 + LatencyBuckets.COUNT];
        values[0] = row.requests();
        values[1] = row.errors();
        values[2] = row.rateLimited();
        values[3] = row.offloaded();
        values[4] = row.tokensIn();
        values[5] = row.tokensOut();
        for (int i = 0; i < LatencyBuckets.COUNT; i++) {
            values[6 + i] = row.latencyHistogram().get(i);
        }
        return values;
    }

    private static void bind(PreparedStatement s, String orgId, String seat, RollupRow row, Instant now) throws SQLException {
        int p = 1;
        s.setString(p++, orgId);
        s.setString(p++, seat);
        s.setString(p++, row.model());
        s.setObject(p++, utc(row.hour()));
        s.setLong(p++, row.revision());
        for (long v : totals(row)) {
            s.setLong(p++, v);
        }
        s.setObject(p, utc(now));
    }

    private static final String ADD_TO_SUMS_POSTGRES = "insert into usage_bucket_sums (org_id, seat, bucket_start, model, " + SUMMED
            + ") select cast(? as varchar(40)), cast(? as varchar(40)), " + FROM_EPOCH + ", model, " + SUMMED + " from unnest("
            + "cast(? as varchar(64)[]), " + "cast(? as bigint[]), ".repeat(7 + LatencyBuckets.COUNT) + "cast(? as bigint[])) as t(model, epoch, "
            + SUMMED + ") on conflict (org_id, bucket_start, model, seat) do update set "
            + java.util.Arrays.stream(SUMMED.split(", ")).map(t -> t + " = usage_bucket_sums." + t + " + excluded." + t)
                    .collect(Collectors.joining(", "));
    private static final String ADD_TO_SUMS_H2 = "merge into usage_bucket_sums t using (values (cast(? as varchar(40)), "
            + "cast(? as varchar(40)), cast(? as varchar(64)), cast(? as timestamp)" + ", cast(? as bigint)".repeat(7 + LatencyBuckets.COUNT)
            + ")) s(org_id, seat, model, bucket_start, " + SUMMED + ") on t.org_id = s.org_id and t.bucket_start = s.bucket_start "
            + "and t.model = s.model and t.seat = s.seat when matched then update set "
            + java.util.Arrays.stream(SUMMED.split(", ")).map(t -> t + " = t." + t + " + s." + t).collect(Collectors.joining(", "))
            + " when not matched then insert (org_id, seat, bucket_start, model, " + SUMMED + ") values (s.org_id, s.seat, s.bucket_start, "
            + "s.model, " + java.util.Arrays.stream(SUMMED.split(", ")).map(t -> "s." + t).collect(Collectors.joining(", ")) + ")";

    /** Adds a batch's changes to its seat's sums. */
    private static void addToSums(Connection c, boolean postgres, String orgId, String seat, Map<Cell, long[]> deltas) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(postgres ? ADD_TO_SUMS_POSTGRES : ADD_TO_SUMS_H2)) {
            s.setString(1, orgId);
            s.setString(2, seat);
            if (postgres) {
                bindColumns(s, 3, deltas);
                s.execute();
                return;
            }
            for (Map.Entry<Cell, long[]> delta : deltas.entrySet()) {
                int p = 3;
                s.setString(p++, delta.getKey().model());
                s.setObject(p++, utc(Instant.ofEpochSecond(delta.getKey().hour())));
                for (long v : delta.getValue()) {
                    s.setLong(p++, v);
                }
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /**
     * Binds rows of (model, hour or bucket, numbers) as one PostgreSQL array per column from
     * parameter {@code first} on: the statement's text and plan are then the same for every batch,
     * and PostgreSQL parses a parameter per column rather than per value. Java arrays of
     * {@code String} and {@code long} travel in PostgreSQL's binary array format, so no number is
     * written out as text and parsed again.
     */
    private static void bindColumns(PreparedStatement s, int first, Map<Cell, long[]> rows) throws SQLException {
        int count = rows.size();
        String[] models = new String[count];
        long[] starts = new long[count];
        long[][] columns = new long[rows.values().iterator().next().length][count];
        int i = 0;
        for (Map.Entry<Cell, long[]> row : rows.entrySet()) {
            models[i] = row.getKey().model();
            starts[i] = row.getKey().hour();
            long[] values = row.getValue();
            for (int column = 0; column < values.length; column++) {
                columns[column][i] = values[column];
            }
            i++;
        }
        int p = first;
        s.setObject(p++, models);
        s.setObject(p++, starts);
        for (long[] column : columns) {
            s.setObject(p++, column);
        }
    }

    private static long bucketOf(long hour) {
        return hour - Math.floorMod(hour, SEAT_BUCKET_SECONDS);
    }

    private static IngestResult earlierAnswer(Connection c, String orgId, String seat, String key, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "select answer from idempotency_keys where org_id = ? and seat = ? and idem_key = ? and created_at > ?")) {
            s.setString(1, orgId);
            s.setString(2, seat);
            s.setString(3, key);
            s.setObject(4, utc(now.minus(IDEMPOTENCY_TTL)));
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String[] parts = rs.getString(1).split(",");
                return new IngestResult(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
            }
        }
    }

    private static void remember(Connection c, String orgId, String seat, String key, IngestResult result, Instant now)
            throws SQLException {
        try (PreparedStatement prune = c.prepareStatement(
                "delete from idempotency_keys where org_id = ? and seat = ? and (idem_key = ? or created_at <= ?)")) {
            prune.setString(1, orgId);
            prune.setString(2, seat);
            prune.setString(3, key);
            prune.setObject(4, utc(now.minus(IDEMPOTENCY_TTL)));
            prune.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement(
                "insert into idempotency_keys (org_id, seat, idem_key, answer, created_at) values (?, ?, ?, ?, ?)")) {
            s.setString(1, orgId);
            s.setString(2, seat);
            s.setString(3, key);
            s.setString(4, result.stored() + "," + result.unchanged() + "," + result.refused());
            s.setObject(5, utc(now));
            s.executeUpdate();
        }
    }

    static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(LocalDateTime value) {
        return value.toInstant(ZoneOffset.UTC);
    }
}
