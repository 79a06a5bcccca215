package dev.ccp.server.usage.control;

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
import javax.sql.DataSource;

/**
 * Rollup rows in the database, through plain JDBC batches: ingest is the server's hottest write path
 * and a row-by-row ORM would cost several round trips per row.
 *
 * <p>A row is keyed by (org, seat, model, hour). The stored row only ever moves to a higher
 * revision, so a repeated, late or reordered batch converges to the same table. The seat's rows
 * in the batch's time range are locked first, so two concurrent uploads of one seat serialise.
 */
public final class RollupStore {

    private static final String HIST = IntStream.range(0, LatencyBuckets.COUNT).mapToObj(i -> "h" + i).collect(Collectors.joining(", "));
    private static final String TOTALS = "requests, errors, rate_limited, offloaded, tokens_in, tokens_out, " + HIST;
    private static final String INSERT = "insert into usage_rollups (org_id, seat, model, hour_start, revision, " + TOTALS
            + ", received_at) values (?, ?, ?, ?, ?, " + "?, ".repeat(6 + LatencyBuckets.COUNT) + "?)";
    private static final String UPDATE = "update usage_rollups set revision = ?, "
            + IntStream.range(0, LatencyBuckets.COUNT).mapToObj(i -> "h" + i + " = ?")
                    .collect(Collectors.joining(", ", "requests = ?, errors = ?, rate_limited = ?, offloaded = ?, tokens_in = ?, tokens_out = ?, ", ""))
            + ", received_at = ? where org_id = ? and seat = ? and model = ? and hour_start = ? and revision < ?";
    private static final String SUM_ROW = "(cast(? as varchar(40)), cast(? as varchar(64)), cast(? as timestamp), "
            + "cast(? as bigint), ".repeat(5 + LatencyBuckets.COUNT) + "cast(? as bigint))";
    private static final String SEAT_ROW = "(cast(? as varchar(40)), cast(? as timestamp), cast(? as varchar(64)), cast(? as varchar(40)))";
    private static final String ADD_SUMS = java.util.Arrays.stream(TOTALS.split(", "))
            .map(c -> c + " = usage_model_hours." + c + " + excluded." + c).collect(Collectors.joining(", "));

    /**
     * Adds to the per-hour sums and records seat presence, n rows in one statement. PostgreSQL's
     * {@code INSERT … ON CONFLICT} is atomic under concurrent batches; H2's {@code MERGE} takes the
     * same rows (and a rare conflict there is retried with the whole batch).
     */
    private static String addSums(boolean postgres, int n) {
        String rows = String.join(", ", java.util.Collections.nCopies(n, SUM_ROW));
        if (postgres) {
            return "insert into usage_model_hours (org_id, model, hour_start, " + TOTALS + ") values " + rows
                    + " on conflict (org_id, hour_start, model) do update set " + ADD_SUMS;
        }
        return "merge into usage_model_hours t using (values " + rows + ") s(org_id, model, hour_start, " + TOTALS + ") "
                + "on t.org_id = s.org_id and t.hour_start = s.hour_start and t.model = s.model "
                + "when matched then update set " + java.util.Arrays.stream(TOTALS.split(", "))
                        .map(c -> c + " = t." + c + " + s." + c).collect(Collectors.joining(", "))
                + " when not matched then insert (org_id, model, hour_start, " + TOTALS + ") values (s.org_id, s.model, s.hour_start, "
                + java.util.Arrays.stream(TOTALS.split(", ")).map(c -> "s." + c).collect(Collectors.joining(", ")) + ")";
    }

    private static String addSeats(boolean postgres, int n) {
        String rows = String.join(", ", java.util.Collections.nCopies(n, SEAT_ROW));
        return postgres
                ? "insert into usage_seat_buckets (org_id, bucket_start, model, seat) values " + rows + " on conflict do nothing"
                : "merge into usage_seat_buckets (org_id, bucket_start, model, seat) key (org_id, bucket_start, model, seat) values " + rows;
    }

    /** The 7-day view's buckets: k-safety counts seats per model in each. */
    public static final long SEAT_BUCKET_SECONDS = 6 * 3600;
    private static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);

    private final DataSource dataSource;

    public RollupStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Stores a validated batch for one seat and commits before returning.
     *
     * @param idempotencyKey when not null, a repeat of the same key answers the first answer again
     */
    public IngestResult ingest(String orgId, String seat, List<RollupRow> rows, String idempotencyKey, Instant now) {
        SQLException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    IngestResult result = ingest(c, orgId, seat, rows, idempotencyKey, now);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                // Two first uploads of the same new row, sum or key race to insert it, or two batches
                // wait on each other's sums: the loser retries and sees what the winner wrote.
                if (!List.of("23505", "40001", "40P01").contains(e.getSQLState())) {
                    throw new IllegalStateException("storing rollups failed", e);
                }
                last = e;
            }
        }
        throw new IllegalStateException("storing rollups kept conflicting", last);
    }

    private IngestResult ingest(Connection c, String orgId, String seat, List<RollupRow> rows, String key, Instant now)
            throws SQLException {
        if (key != null) {
            IngestResult earlier = earlierAnswer(c, orgId, seat, key, now);
            if (earlier != null) {
                return earlier;
            }
        }
        Map<String, long[]> stored = lockExisting(c, orgId, seat, rows);
        // Same order in every transaction, so concurrent batches lock shared sums without deadlock.
        rows = rows.stream().sorted(java.util.Comparator.comparing(RollupRow::hour).thenComparing(RollupRow::model)).toList();
        int inserted = 0;
        int updated = 0;
        int unchanged = 0;
        int refused = 0;
        List<Object[]> sums = new ArrayList<>();
        java.util.Set<String> seats = new java.util.LinkedHashSet<>();
        try (PreparedStatement insert = c.prepareStatement(INSERT); PreparedStatement update = c.prepareStatement(UPDATE)) {
            for (RollupRow row : rows) {
                long[] existing = stored.get(row.model() + "@" + row.hour());
                if (existing == null) {
                    bindInsert(insert, orgId, seat, row, now);
                    insert.addBatch();
                    sums.add(new Object[] {row, totals(row)});
                    seats.add(row.model() + "\n" + bucketOf(row.hour()));
                    inserted++;
                } else if (row.revision() > existing[0]) {
                    bindUpdate(update, orgId, seat, row, now);
                    update.addBatch();
                    long[] delta = totals(row);
                    for (int i = 0; i < delta.length; i++) {
                        delta[i] -= existing[i + 1];
                    }
                    sums.add(new Object[] {row, delta});
                    updated++;
                } else if (row.revision() == existing[0] && !sameTotals(existing, row)) {
                    refused++;
                } else {
                    unchanged++;
                }
            }
            if (inserted > 0) {
                insert.executeBatch();
            }
            if (updated > 0) {
                update.executeBatch();
            }
        }
        mergeSums(c, orgId, sums);
        mergeSeats(c, orgId, seat, seats);
        IngestResult result = new IngestResult(inserted + updated, unchanged, refused);
        if (key != null) {
            remember(c, orgId, seat, key, result, now);
        }
        return result;
    }

    /** Stored revision and totals of this seat's rows in the batch's hours, locked for this transaction. */
    private static Map<String, long[]> lockExisting(Connection c, String orgId, String seat, List<RollupRow> rows) throws SQLException {
        Instant from = rows.stream().map(RollupRow::hour).min(Instant::compareTo).orElseThrow();
        Instant to = rows.stream().map(RollupRow::hour).max(Instant::compareTo).orElseThrow();
        Map<String, long[]> stored = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement("select model, hour_start, revision, " + TOTALS
                + " from usage_rollups where org_id = ? and seat = ? and hour_start >= ? and hour_start <= ? for update")) {
            select.setString(1, orgId);
            select.setString(2, seat);
            select.setObject(3, utc(from));
            select.setObject(4, utc(to));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    long[] values = new long[1 + 6 + LatencyBuckets.COUNT];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = rs.getLong(3 + i);
                    }
                    stored.put(rs.getString(1) + "@" + instant(rs.getObject(2, LocalDateTime.class)), values);
                }
            }
        }
        return stored;
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

    private static void bindInsert(PreparedStatement s, String orgId, String seat, RollupRow row, Instant now) throws SQLException {
        s.setString(1, orgId);
        s.setString(2, seat);
        s.setString(3, row.model());
        s.setObject(4, utc(row.hour()));
        s.setLong(5, row.revision());
        int i = 6;
        for (long v : totals(row)) {
            s.setLong(i++, v);
        }
        s.setObject(i, utc(now));
    }

    private static void mergeSums(Connection c, String orgId, List<Object[]> sums) throws SQLException {
        if (sums.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(addSums(postgres(c), sums.size()))) {
            int p = 1;
            for (Object[] entry : sums) {
                RollupRow row = (RollupRow) entry[0];
                s.setString(p++, orgId);
                s.setString(p++, row.model());
                s.setObject(p++, utc(row.hour()));
                for (long v : (long[]) entry[1]) {
                    s.setLong(p++, v);
                }
            }
            s.executeUpdate();
        }
    }

    private static void mergeSeats(Connection c, String orgId, String seat, java.util.Set<String> modelBuckets) throws SQLException {
        if (modelBuckets.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(addSeats(postgres(c), modelBuckets.size()))) {
            int p = 1;
            for (String modelBucket : modelBuckets) {
                String[] parts = modelBucket.split("\n", 2);
                s.setString(p++, orgId);
                s.setObject(p++, utc(Instant.parse(parts[1])));
                s.setString(p++, parts[0]);
                s.setString(p++, seat);
            }
            s.executeUpdate();
        }
    }

    private static boolean postgres(Connection c) throws SQLException {
        return "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
    }

    static Instant bucketOf(Instant hour) {
        long epoch = hour.getEpochSecond();
        return Instant.ofEpochSecond(epoch - Math.floorMod(epoch, SEAT_BUCKET_SECONDS));
    }

    private static void bindUpdate(PreparedStatement s, String orgId, String seat, RollupRow row, Instant now) throws SQLException {
        s.setLong(1, row.revision());
        int i = 2;
        for (long v : totals(row)) {
            s.setLong(i++, v);
        }
        s.setObject(i++, utc(now));
        s.setString(i++, orgId);
        s.setString(i++, seat);
        s.setString(i++, row.model());
        s.setObject(i++, utc(row.hour()));
        s.setLong(i, row.revision());
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

    /** Sums over every seat of one model in one hour. */
    public record HourSums(String model, Instant hour, long[] totals) {
    }

    /** One seat that sent usage of a model in a bucket. */
    public record SeatInBucket(String model, int bucket, String seat) {
    }

    /** Per model and hour, the sums over all seats of one org, as kept up to date at ingest. */
    public List<HourSums> hourSums(String orgId, Instant from, Instant to) {
        List<HourSums> sums = new ArrayList<>();
        query("select model, hour_start, " + TOTALS + " from usage_model_hours where org_id = ? and hour_start >= ? and hour_start < ?",
                orgId, from, to, rs -> {
                    long[] totals = new long[6 + LatencyBuckets.COUNT];
                    for (int i = 0; i < totals.length; i++) {
                        totals[i] = rs.getLong(3 + i);
                    }
                    sums.add(new HourSums(rs.getString(1), instant(rs.getObject(2, LocalDateTime.class)), totals));
                });
        return sums;
    }

    /**
     * Which seats sent usage of which model, per hour (from the rollups themselves, for the 24-hour
     * view) or per 6-hour bucket (from the presence table, for the 7-day view).
     *
     * @return the model, the start of its hour or bucket, and the seat
     */
    public List<SeatInBucket> seats(String orgId, Instant from, Instant to, long bucketSeconds) {
        String sql = switch ((int) bucketSeconds) {
            case 3600 -> "select model, hour_start, seat from usage_rollups where org_id = ? and hour_start >= ? and hour_start < ?";
            case (int) SEAT_BUCKET_SECONDS -> "select model, bucket_start, seat from usage_seat_buckets "
                    + "where org_id = ? and bucket_start >= ? and bucket_start < ?";
            default -> throw new IllegalArgumentException("no seat counts for buckets of " + bucketSeconds + " s");
        };
        List<SeatInBucket> seats = new ArrayList<>();
        query(sql, orgId, from, to, rs -> seats.add(new SeatInBucket(rs.getString(1),
                (int) ((instant(rs.getObject(2, LocalDateTime.class)).getEpochSecond() - from.getEpochSecond()) / bucketSeconds),
                rs.getString(3))));
        return seats;
    }

    private interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    private void query(String sql, String orgId, Instant from, Instant to, RowHandler handler) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, orgId);
            s.setObject(2, utc(from));
            s.setObject(3, utc(to));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    handler.row(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading rollups failed", e);
        }
    }

    static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(LocalDateTime value) {
        return value.toInstant(ZoneOffset.UTC);
    }
}
