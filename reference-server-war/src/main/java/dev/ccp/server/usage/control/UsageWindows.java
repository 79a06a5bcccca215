package dev.ccp.server.usage.control;

import dev.ccp.spi.usage.LatencyBuckets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What the health views read: one org's usage in a window, from the hourly rows (24 hours) or
 * from the per-seat 6-hour sums that ingest keeps (7 days), in one query each.
 */
public final class UsageWindows {

    private static final String[] TOTAL_COLUMNS = RollupStore.TOTALS.split(", ");
    private static final String NO_TOTALS = String.join(", ", java.util.Collections.nCopies(TOTAL_COLUMNS.length, "cast(null as bigint)"));
    private static final String SUMMED_TOTALS = java.util.Arrays.stream(TOTAL_COLUMNS)
            .map(c -> "cast(sum(" + c + ") as bigint)").collect(java.util.stream.Collectors.joining(", "));

    private final DataSource dataSource;

    public UsageWindows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Sums over every seat of one model in one hour or bucket. */
    public record Sums(String model, Instant start, long[] totals) {
    }

    /**
     * One seat that sent usage of a model in a bucket.
     *
     * @param bucket the number of the hour or bucket in the window
     * @param hours bit h is set when the seat sent usage in hour h of the bucket (for an hour, 1)
     */
    public record SeatInBucket(String model, int bucket, String seat, int hours) {
    }

    /** What a health view reads for its window: the sums per model and bucket, and the seats behind each. */
    public record Usage(List<Sums> sums, List<SeatInBucket> seats) {
    }

    /**
     * One org's usage in a window, per model and hour (from the rows, for the 24-hour view) or per
     * 6-hour bucket (from the per-seat sums kept by ingest, for the 7-day view), in one read.
     */
    public Usage usage(String orgId, Instant from, Instant to, long bucketSeconds) {
        String table;
        String start;
        String hours;
        switch ((int) bucketSeconds) {
            case 3600 -> {
                table = "usage_rollups";
                start = "hour_start";
                hours = "1";
            }
            case (int) RollupStore.SEAT_BUCKET_SECONDS -> {
                table = "usage_bucket_sums";
                start = "bucket_start";
                hours = "hours";
            }
            default -> throw new IllegalArgumentException("no usage in buckets of " + bucketSeconds + " s");
        }
        // One statement, so the seats and the sums are of one snapshot (k-safety must never count a
        // seat whose usage is not in the sums): first a row per seat, model and bucket with only who
        // and when, then a row per model and bucket with the sums, the seat left null. Reading every
        // total of every seat's row and adding them up here cost most of the 7-day read.
        String where = " from " + table + " where org_id = ? and " + start + " >= ? and " + start + " < ?";
        String sql = "select model, " + start + ", seat, " + hours + ", " + NO_TOTALS + where
                + " union all select model, " + start + ", null, 0, " + SUMMED_TOTALS + where + " group by model, " + start;
        Map<RollupStore.Cell, long[]> sums = new java.util.TreeMap<>();
        List<SeatInBucket> seats = new ArrayList<>();
        query(sql, orgId, from, to, rs -> {
            String model = rs.getString(1);
            long bucketStart = RollupStore.instant(rs.getObject(2, LocalDateTime.class)).getEpochSecond();
            String seat = rs.getString(3);
            if (seat != null) {
                seats.add(new SeatInBucket(model, (int) ((bucketStart - from.getEpochSecond()) / bucketSeconds), seat, rs.getInt(4)));
                return;
            }
            long[] sum = new long[6 + LatencyBuckets.COUNT];
            for (int t = 0; t < sum.length; t++) {
                sum[t] = rs.getLong(5 + t);
            }
            sums.put(new RollupStore.Cell(model, bucketStart), sum);
        });
        return new Usage(sums.entrySet().stream()
                .map(e -> new Sums(e.getKey().model(), Instant.ofEpochSecond(e.getKey().hour()), e.getValue())).toList(), seats);
    }

    private interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    private void query(String sql, String orgId, Instant from, Instant to, RowHandler handler) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            // The same org and window for both parts of the statement.
            for (int part = 0; part < 2; part++) {
                s.setString(3 * part + 1, orgId);
                s.setObject(3 * part + 2, RollupStore.utc(from));
                s.setObject(3 * part + 3, RollupStore.utc(to));
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    handler.row(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading rollups failed", e);
        }
    }

}
