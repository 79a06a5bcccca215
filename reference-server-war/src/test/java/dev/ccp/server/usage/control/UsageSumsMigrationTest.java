package dev.ccp.server.usage.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.server.platform.database.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * V6 replaces the per-model sums, the seat presence and the marks with per-seat sums: a database
 * with a folded bucket and a bucket still marked comes out with sums for every row. V8 gives each
 * seat's sums the hours of the bucket it has rows in.
 */
class UsageSumsMigrationTest {

    @Test
    void everyRowEndsUpInItsSeatsBucketSums() throws SQLException {
        String url = orgAtVersion("5");
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            // A bucket folded under the old scheme (06:00) and one only marked (12:00).
            row(s, "seat_1", "m1", "2026-11-26 07:00:00", 10);
            row(s, "seat_1", "m1", "2026-11-26 08:00:00", 5);
            row(s, "seat_2", "m1", "2026-11-26 07:00:00", 4);
            row(s, "seat_2", "m2", "2026-11-26 13:00:00", 7);
            s.execute("insert into usage_seat_buckets values ('org_a', timestamp '2026-11-26 06:00:00', 'm1', 'seat_1'), "
                    + "('org_a', timestamp '2026-11-26 06:00:00', 'm1', 'seat_2')");
            s.execute("insert into usage_stale_buckets values ('org_a', timestamp '2026-11-26 12:00:00', 1)");

            migrate(url, null);

            try (ResultSet rs = s.executeQuery("select bucket_start, model, seat, requests, h0 from usage_bucket_sums "
                    + "order by bucket_start, model, seat")) {
                assertThat(rows(rs)).containsExactly(
                        "2026-11-26 06:00:00|m1|seat_1|15|15",
                        "2026-11-26 06:00:00|m1|seat_2|4|4",
                        "2026-11-26 12:00:00|m2|seat_2|7|7");
            }
        }
    }

    @Test
    void eachSeatsBucketLearnsTheHoursItHasRowsIn() throws SQLException {
        String url = orgAtVersion("7");
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            row(s, "seat_1", "m1", "2026-11-26 07:00:00", 10);
            row(s, "seat_1", "m1", "2026-11-26 09:00:00", 5);
            row(s, "seat_2", "m1", "2026-11-26 13:00:00", 4);
            s.execute("insert into usage_bucket_sums values ('org_a', timestamp '2026-11-26 06:00:00', 'm1', 'seat_1', "
                    + "15, 0, 0, 0, 200, 20, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0)");
            s.execute("insert into usage_bucket_sums values ('org_a', timestamp '2026-11-26 12:00:00', 'm1', 'seat_2', "
                    + "4, 0, 0, 0, 100, 10, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0)");

            migrate(url, null);

            try (ResultSet rs = s.executeQuery("select seat, hours from usage_bucket_sums order by bucket_start")) {
                java.util.List<String> hours = new java.util.ArrayList<>();
                while (rs.next()) {
                    hours.add(rs.getString(1) + "|" + Integer.toBinaryString(rs.getInt(2)));
                }
                // 07:00 and 09:00 are hours 1 and 3 of the 06:00 bucket; 13:00 is hour 1 of 12:00.
                assertThat(hours).containsExactly("seat_1|1010", "seat_2|10");
            }
        }
    }

    /** A new database migrated up to {@code version}, with org_a in it. */
    private static String orgAtVersion(String version) throws SQLException {
        String url = "jdbc:h2:mem:migration-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        migrate(url, version);
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("insert into orgs (id, slug, name, personal, plan, created_at) values ('org_a', 'a', 'A', false, 'team', now())");
        }
        return url;
    }

    private static void migrate(String url, String target) {
        var config = Database.migrations().dataSource(url, "sa", "");
        (target == null ? config : config.target(target)).load().migrate();
    }

    private static void row(Statement s, String seat, String model, String hour, long requests) throws SQLException {
        s.execute("insert into usage_rollups values ('org_a', '" + seat + "', '" + model + "', timestamp '" + hour + "', 1, "
                + requests + ", 0, 0, 0, 100, 10, " + requests + ", 0, 0, 0, 0, 0, 0, 0, 0, 0, now())");
    }

    private static java.util.List<String> rows(ResultSet rs) throws SQLException {
        java.util.List<String> rows = new java.util.ArrayList<>();
        while (rs.next()) {
            rows.add(rs.getString(1).replaceFirst("\\.0+$", "") + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getLong(4)
                    + "|" + rs.getLong(5));
        }
        return rows;
    }
}
