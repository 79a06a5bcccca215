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
 * revision, so a repeated, late or reordered batch converges to the same table.
 *
 * <p>The health views read per-(org, model, hour) sums and per-6-hour seat presence rather than
 * every seat's rows. Ingest does not keep them itself: it marks the hours it wrote, in the same
 * transaction, and a fold recomputes marked hours from the rows, in the background and before
 * every health read. That keeps ingest to one upsert and one mark per batch.
 */
public final class RollupStore {

    private static final String HIST = IntStream.range(0, LatencyBuckets.COUNT).mapToObj(i -> "h" + i).collect(Collectors.joining(", "));
    private static final String TOTALS = "requests, errors, rate_limited, offloaded, tokens_in, tokens_out, " + HIST;
    private static final String COLUMNS = "org_id, seat, model, hour_start, revision, " + TOTALS + ", received_at";
    private static final String ROW = "(cast(? as varchar(40)), cast(? as varchar(40)), cast(? as varchar(64)), cast(? as timestamp), "
            + "cast(? as bigint), ".repeat(7 + LatencyBuckets.COUNT) + "cast(? as timestamp))";
    private static final String REPLACE = java.util.Arrays.stream((TOTALS + ", revision, received_at").split(", "))
            .map(c -> c + " = excluded." + c).collect(Collectors.joining(", "));

    /**
     * Stores n rows unless the stored row has the same or a higher revision. PostgreSQL takes them
     * in one statement and names the rows it wrote; H2 takes a batch of one-row merges and counts
     * per row.
     */
    private static String upsertRows(boolean postgres, int n) {
        if (postgres) {
            return "insert into usage_rollups (" + COLUMNS + ") values " + String.join(", ", java.util.Collections.nCopies(n, ROW))
                    + " on conflict (org_id, seat, hour_start, model) do update set " + REPLACE
                    + " where usage_rollups.revision < excluded.revision returning model, hour_start";
        }
        return "merge into usage_rollups t using (values " + ROW + ") excluded(" + COLUMNS + ") "
                + "on t.org_id = excluded.org_id and t.seat = excluded.seat and t.hour_start = excluded.hour_start and t.model = excluded.model "
                + "when matched and t.revision < excluded.revision then update set " + REPLACE
                + " when not matched then insert (" + COLUMNS + ") values ("
                + java.util.Arrays.stream(COLUMNS.split(", ")).map(c -> "excluded." + c).collect(Collectors.joining(", ")) + ")";
    }

    /**
     * Marks buckets whose sums are out of date. A mark that exists is updated, not skipped, so the
     * marking transaction holds its row lock: a fold that takes the mark waits for this batch's
     * rows to commit, and one that took it before sees the mark come back.
     */
    private static String markBuckets(boolean postgres, int n) {
        String rows = String.join(", ", java.util.Collections.nCopies(n, "(cast(? as varchar(40)), cast(? as timestamp), 1)"));
        return postgres
                ? "insert into usage_stale_buckets (org_id, bucket_start, marks) values " + rows
                        + " on conflict (org_id, bucket_start) do update set marks = usage_stale_buckets.marks + 1"
                : "merge into usage_stale_buckets t using (values " + rows + ") s(org_id, bucket_start, marks) "
                        + "on t.org_id = s.org_id and t.bucket_start = s.bucket_start when matched then update set marks = t.marks + 1 "
                        + "when not matched then insert (org_id, bucket_start, marks) values (s.org_id, s.bucket_start, 1)";
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
                // Two first uploads of the same new row or key race to insert it, or two batches
                // wait on each other's hour marks: the loser retries and sees what the winner wrote.
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
        // Same order in every transaction, so concurrent batches take the bucket marks without deadlock.
        rows = rows.stream().sorted(java.util.Comparator.comparing(RollupRow::hour).thenComparing(RollupRow::model)).toList();
        java.util.Set<String> stored = upsert(c, orgId, seat, rows, now);
        int refused = 0;
        if (stored.size() < rows.size()) {
            Map<String, long[]> kept = storedTotals(c, orgId, seat, rows);
            for (RollupRow row : rows) {
                long[] existing = kept.get(key(row.model(), row.hour()));
                if (!stored.contains(key(row.model(), row.hour())) && existing != null && existing[0] == row.revision() && !sameTotals(existing, row)) {
                    refused++;
                }
            }
        }
        List<Instant> buckets = rows.stream().filter(r -> stored.contains(key(r.model(), r.hour())))
                .map(r -> bucketOf(r.hour())).distinct().toList();
        if (!buckets.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(markBuckets(postgres(c), buckets.size()))) {
                int p = 1;
                for (Instant bucket : buckets) {
                    s.setString(p++, orgId);
                    s.setObject(p++, utc(bucket));
                }
                s.executeUpdate();
            }
        }
        IngestResult result = new IngestResult(stored.size(), rows.size() - stored.size() - refused, refused);
        if (key != null) {
            remember(c, orgId, seat, key, result, now);
        }
        return result;
    }

    private static String key(String model, Instant hour) {
        return model + "@" + hour;
    }

    /** Writes the rows that are new or carry a higher revision than the stored ones, and names them. */
    private static java.util.Set<String> upsert(Connection c, String orgId, String seat, List<RollupRow> rows, Instant now)
            throws SQLException {
        java.util.Set<String> stored = new java.util.HashSet<>();
        boolean postgres = postgres(c);
        try (PreparedStatement s = c.prepareStatement(upsertRows(postgres, postgres ? rows.size() : 1))) {
            int p = 1;
            for (RollupRow row : rows) {
                p = bind(s, p, orgId, seat, row, now);
                if (!postgres) {
                    s.addBatch();
                    p = 1;
                }
            }
            if (postgres) {
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        stored.add(key(rs.getString(1), instant(rs.getObject(2, LocalDateTime.class))));
                    }
                }
            } else {
                int[] counts = s.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] > 0) {
                        stored.add(key(rows.get(i).model(), rows.get(i).hour()));
                    }
                }
            }
        }
        return stored;
    }

    /** Stored revision and totals of this seat's rows in the batch's hours. */
    private static Map<String, long[]> storedTotals(Connection c, String orgId, String seat, List<RollupRow> rows) throws SQLException {
        Map<String, long[]> stored = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement("select model, hour_start, revision, " + TOTALS
                + " from usage_rollups where org_id = ? and seat = ? and hour_start >= ? and hour_start <= ?")) {
            select.setString(1, orgId);
            select.setString(2, seat);
            select.setObject(3, utc(rows.get(0).hour()));
            select.setObject(4, utc(rows.get(rows.size() - 1).hour()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    stored.put(key(rs.getString(1), instant(rs.getObject(2, LocalDateTime.class))), longs(rs, 3, 1 + 6 + LatencyBuckets.COUNT));
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

    private static int bind(PreparedStatement s, int p, String orgId, String seat, RollupRow row, Instant now) throws SQLException {
        s.setString(p++, orgId);
        s.setString(p++, seat);
        s.setString(p++, row.model());
        s.setObject(p++, utc(row.hour()));
        s.setLong(p++, row.revision());
        for (long v : totals(row)) {
            s.setLong(p++, v);
        }
        s.setObject(p++, utc(now));
        return p;
    }

    /**
     * Brings the bucket sums and seat presence of one org up to date with its rows: the health
     * views call this before they read, so an acknowledged batch is always in the answer.
     */
    public void foldStale(String orgId) {
        while (fold(orgId, 500) == 500) {
            // more than one round of marks
        }
    }

    /**
     * Folds up to {@code limit} marked buckets of any org, skipping the ones another fold or an
     * uncommitted batch holds: what the background job runs.
     *
     * @return how many buckets it folded
     */
    public int foldStale(int limit) {
        return fold(null, limit);
    }

    /**
     * Recomputes marked buckets from the rows themselves, so a fold can be repeated, and a crash
     * between a batch and its fold loses nothing: the mark commits with the rows.
     */
    private int fold(String orgId, int limit) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean postgres = postgres(c);
                List<Object[]> marks = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("select bucket_start, org_id from usage_stale_buckets"
                        + (orgId == null ? "" : " where org_id = ?") + " order by org_id, bucket_start fetch first " + limit
                        + " rows only for update" + (orgId == null && postgres ? " skip locked" : ""))) {
                    if (orgId != null) {
                        s.setString(1, orgId);
                    }
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            LocalDateTime start = rs.getObject(1, LocalDateTime.class);
                            marks.add(new Object[] {start, rs.getString(2), start, start.plusSeconds(SEAT_BUCKET_SECONDS)});
                        }
                    }
                }
                forEachMark(c, marks, "delete from usage_stale_buckets where bucket_start = ? and org_id = ?");
                String sums = "select cast(? as timestamp), org_id, model, " + java.util.Arrays.stream(TOTALS.split(", "))
                        .map(t -> "sum(" + t + ")").collect(Collectors.joining(", ")) + FROM_BUCKET + " group by org_id, model";
                forEachMark(c, marks, postgres
                        ? "insert into usage_model_buckets (bucket_start, org_id, model, " + TOTALS + ") " + sums
                                + " on conflict (org_id, bucket_start, model) do update set " + java.util.Arrays.stream(TOTALS.split(", "))
                                        .map(t -> t + " = excluded." + t).collect(Collectors.joining(", "))
                        : "merge into usage_model_buckets (bucket_start, org_id, model, " + TOTALS + ") key (org_id, bucket_start, model) " + sums);
                String seats = "select distinct cast(? as timestamp), org_id, model, seat" + FROM_BUCKET;
                forEachMark(c, marks, postgres
                        ? "insert into usage_seat_buckets (bucket_start, org_id, model, seat) " + seats + " on conflict do nothing"
                        : "merge into usage_seat_buckets (bucket_start, org_id, model, seat) key (org_id, bucket_start, model, seat) " + seats);
                c.commit();
                return marks.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("folding rollups into sums failed", e);
        }
    }

    /** The rows of one org's bucket; parameters: org, bucket start, bucket end. */
    private static final String FROM_BUCKET = " from usage_rollups where org_id = ? and hour_start >= ? and hour_start < ?";

    /**
     * Runs a statement once per marked bucket, with as many of the mark's values as it has
     * parameters: bucket start, org, bucket start, bucket end.
     */
    private static void forEachMark(Connection c, List<Object[]> marks, String sql) throws SQLException {
        if (marks.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int parameters = s.getParameterMetaData().getParameterCount();
            for (Object[] mark : marks) {
                for (int p = 0; p < parameters; p++) {
                    s.setObject(p + 1, mark[p]);
                }
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static Instant bucketOf(Instant hour) {
        long epoch = hour.getEpochSecond();
        return Instant.ofEpochSecond(epoch - Math.floorMod(epoch, SEAT_BUCKET_SECONDS));
    }

    private static boolean postgres(Connection c) throws SQLException {
        return "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
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

    /** Sums over every seat of one model in one hour or bucket. */
    public record Sums(String model, Instant start, long[] totals) {
    }

    /** One seat that sent usage of a model in a bucket. */
    public record SeatInBucket(String model, int bucket, String seat) {
    }

    /**
     * Per model and hour (summed from the rows, for the 24-hour view) or per 6-hour bucket (as
     * folded, for the 7-day view), the sums over all seats of one org.
     */
    public List<Sums> sums(String orgId, Instant from, Instant to, long bucketSeconds) {
        String sql = switch ((int) bucketSeconds) {
            case 3600 -> "select model, hour_start, " + java.util.Arrays.stream(TOTALS.split(", ")).map(t -> "sum(" + t + ")")
                    .collect(Collectors.joining(", ")) + " from usage_rollups where org_id = ? and hour_start >= ? and hour_start < ? "
                    + "group by model, hour_start";
            case (int) SEAT_BUCKET_SECONDS -> "select model, bucket_start, " + TOTALS + " from usage_model_buckets "
                    + "where org_id = ? and bucket_start >= ? and bucket_start < ?";
            default -> throw new IllegalArgumentException("no sums for buckets of " + bucketSeconds + " s");
        };
        List<Sums> sums = new ArrayList<>();
        query(sql, orgId, from, to, rs -> sums.add(new Sums(rs.getString(1), instant(rs.getObject(2, LocalDateTime.class)),
                longs(rs, 3, 6 + LatencyBuckets.COUNT))));
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
