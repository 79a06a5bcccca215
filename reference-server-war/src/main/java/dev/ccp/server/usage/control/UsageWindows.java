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
        // Summed here rather than grouped in SQL: a few thousand rows per org and window, and
        // PostgreSQL, misjudging one org's share of the table, chose a sort and compiled the
        // aggregate on every read, which cost several times the scan.
        String sql = switch ((int) bucketSeconds) {
            case 3600 -> "select model, hour_start, seat, 1, " + RollupStore.TOTALS + " from usage_rollups "
                    + "where org_id = ? and hour_start >= ? and hour_start < ?";
            case (int) RollupStore.SEAT_BUCKET_SECONDS -> "select model, bucket_start, seat, hours, " + RollupStore.TOTALS + " from usage_bucket_sums "
                    + "where org_id = ? and bucket_start >= ? and bucket_start < ?";
            default -> throw new IllegalArgumentException("no usage in buckets of " + bucketSeconds + " s");
        };
        Map<RollupStore.Cell, long[]> sums = new java.util.TreeMap<>();
        List<SeatInBucket> seats = new ArrayList<>();
        query(sql, orgId, from, to, rs -> {
            String model = rs.getString(1);
            long start = RollupStore.instant(rs.getObject(2, LocalDateTime.class)).getEpochSecond();
            seats.add(new SeatInBucket(model, (int) ((start - from.getEpochSecond()) / bucketSeconds), rs.getString(3), rs.getInt(4)));
            long[] sum = sums.computeIfAbsent(new RollupStore.Cell(model, start), cell -> new long[6 + LatencyBuckets.COUNT]);
            for (int t = 0; t < sum.length; t++) {
                sum[t] += rs.getLong(5 + t);
            }
        });
        return new Usage(sums.entrySet().stream()
                .map(e -> new Sums(e.getKey().model(), Instant.ofEpochSecond(e.getKey().hour()), e.getValue())).toList(), seats);
    }

    private interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    private void query(String sql, String orgId, Instant from, Instant to, RowHandler handler) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, orgId);
            s.setObject(2, RollupStore.utc(from));
            s.setObject(3, RollupStore.utc(to));
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
