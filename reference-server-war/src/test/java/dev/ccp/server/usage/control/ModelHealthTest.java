package dev.ccp.server.usage.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.spi.wire.HealthCell;
import dev.ccp.spi.wire.ModelHealthResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelHealthTest {

    static final Instant NOW = Instant.parse("2026-11-26T10:30:00Z");

    /** One seat's row, as the store would hand it over: the hour's sums and the seat's presence. */
    private record Row(String seat, String model, Instant hour, long[] totals) {
    }

    private static Row row(String seat, String model, String hour, long requests, long errors, long offloaded) {
        long[] totals = new long[16];
        totals[0] = requests;
        totals[1] = errors;
        totals[3] = offloaded;
        totals[4] = requests * 100;
        totals[5] = requests * 10;
        totals[6 + 2] = requests / 2;
        totals[6 + 5] = requests - requests / 2;
        return new Row(seat, model, Instant.parse(hour), totals);
    }

    private static ModelHealthResponse summarize(HealthWindow window, List<Row> rows) {
        List<UsageWindows.Sums> sums = rows.stream().map(r -> new UsageWindows.Sums(r.model(), r.hour(), r.totals())).toList();
        List<UsageWindows.SeatInBucket> seats = rows.stream()
                .map(r -> new UsageWindows.SeatInBucket(r.model(), window.index(r.hour(), NOW), r.seat(), hourBit(window, r.hour()))).toList();
        return ModelHealth.summarize("acme", 5, window, NOW, sums, seats);
    }

    /** The seat's bit for the hour within its bucket, as the store keeps it. */
    private static int hourBit(HealthWindow window, Instant hour) {
        return 1 << (int) (Math.floorMod(hour.getEpochSecond(), window.bucket().toSeconds()) / 3600);
    }

    @Test
    void figuresMergeEverySeatOfAModel() {
        List<Row> rows = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            rows.add(row("seat_" + s, "claude-sonnet-4-5", "2026-11-26T09:00:00Z", 20, 1, 4));
        }
        ModelHealthResponse health = summarize(HealthWindow.DAY, rows);

        assertThat(health.models()).hasSize(1);
        HealthCell total = health.models().get(0).total();
        assertThat(total.suppressed()).isFalse();
        assertThat(total.requests()).isEqualTo(100);
        assertThat(total.errorRate()).isEqualTo(0.05);
        assertThat(total.offloadShare()).isEqualTo(0.2);
        assertThat(total.p50Ms()).isBetween(100L, 250L);
        assertThat(total.p95Ms()).isBetween(1_000L, 2_500L);
        assertThat(health.models().get(0).buckets()).hasSize(24);
        HealthCell nine = health.models().get(0).buckets().get(HealthWindow.DAY.index(Instant.parse("2026-11-26T09:00:00Z"), NOW));
        assertThat(nine.requests()).isEqualTo(100);
        assertThat(health.all().total().requests()).isEqualTo(100);
    }

    @Test
    void fourSeatsAreNotEnough() {
        List<Row> rows = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            rows.add(row("seat_" + s, "claude-sonnet-4-5", "2026-11-26T09:00:00Z", 20, 1, 4));
        }
        ModelHealthResponse health = summarize(HealthWindow.DAY, rows);
        assertThat(health.models().get(0).total().suppressed()).isTrue();
        assertThat(health.models().get(0).total().requests()).isNull();
        assertThat(health.all().total().suppressed()).isTrue();
    }

    @Test
    void weekWindowUsesSixHourBuckets() {
        ModelHealthResponse health = summarize(HealthWindow.WEEK, List.of());
        assertThat(health.bucketSeconds()).isEqualTo(21_600);
        assertThat(health.all().buckets()).hasSize(28);
        assertThat(health.to()).isEqualTo(Instant.parse("2026-11-26T06:00:00Z"));
        assertThat(health.from()).isEqualTo(Instant.parse("2026-11-19T06:00:00Z"));
    }

    @Test
    void bucketWithoutRowsIsAGapNotZero() {
        List<Row> rows = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            rows.add(row("seat_" + s, "glm-4.6", "2026-11-26T07:00:00Z", 20, 1, 4));
            rows.add(row("seat_" + s, "glm-4.6", "2026-11-26T09:00:00Z", 20, 1, 4));
        }
        ModelHealthResponse health = summarize(HealthWindow.DAY, rows);

        int eight = HealthWindow.DAY.index(Instant.parse("2026-11-26T08:00:00Z"), NOW);
        for (HealthCell gap : List.of(health.models().get(0).buckets().get(eight), health.all().buckets().get(eight))) {
            assertThat(gap.suppressed()).as("nothing is hidden where nothing was sent").isFalse();
            assertThat(gap.requests()).isNull();
            assertThat(gap.tokensIn()).isNull();
            assertThat(gap.tokensOut()).isNull();
            assertThat(gap.p95Ms()).isNull();
        }
        assertThat(health.models().get(0).buckets().stream().filter(c -> c.requests() != null)).hasSize(2);
        assertThat(health.all().buckets().stream().filter(HealthCell::suppressed)).isEmpty();
    }

    @Test
    void sixHourBucketWithoutRowsIsAGapNotZero() {
        List<Row> rows = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            rows.add(row("seat_" + s, "glm-4.6", "2026-11-25T12:00:00Z", 20, 1, 4));
        }
        ModelHealthResponse health = summarize(HealthWindow.WEEK, rows);

        int shown = HealthWindow.WEEK.index(Instant.parse("2026-11-25T12:00:00Z"), NOW);
        assertThat(health.models().get(0).buckets().get(shown).requests()).isEqualTo(100);
        assertThat(health.models().get(0).buckets().get(shown - 1).requests()).isNull();
        assertThat(health.all().buckets().get(shown - 1).requests()).isNull();
        assertThat(health.all().buckets().stream().filter(c -> c.requests() == null)).hasSize(27);
        assertThat(health.all().buckets().stream().filter(HealthCell::suppressed)).isEmpty();
        assertThat(health.models().get(0).total().requests()).isEqualTo(100);
    }

    @Test
    void bucketWhoseRowsCountNoRequestsIsARealZero() {
        List<Row> rows = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            rows.add(row("seat_" + s, "glm-4.6", "2026-11-26T09:00:00Z", 0, 0, 0));
        }
        ModelHealthResponse health = summarize(HealthWindow.DAY, rows);

        HealthCell nine = health.models().get(0).buckets().get(HealthWindow.DAY.index(Instant.parse("2026-11-26T09:00:00Z"), NOW));
        assertThat(nine.suppressed()).isFalse();
        assertThat(nine.requests()).isZero();
        assertThat(nine.tokensIn()).isZero();
        assertThat(nine.errorRate()).as("a rate of nothing is undefined").isNull();
    }

    @Test
    void aHiddenModelKeepsItsEmptyBucketsSuppressed() {
        // The gaps of a model with too few seats would show when those seats were busy.
        List<Row> rows = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            rows.add(row("seat_" + s, "glm-4.6", "2026-11-26T09:00:00Z", 20, 1, 4));
            rows.add(row("seat_" + s, "glm-4.6", "2026-11-26T08:00:00Z", 20, 1, 4));
        }
        rows.add(row("seat_0", "rare-model", "2026-11-26T09:00:00Z", 3, 0, 0));
        ModelHealthResponse health = summarize(HealthWindow.DAY, rows);

        assertThat(health.models().get(1).model()).isEqualTo("rare-model");
        assertThat(health.models().get(1).buckets()).allMatch(HealthCell::suppressed);
        int seven = HealthWindow.DAY.index(Instant.parse("2026-11-26T07:00:00Z"), NOW);
        assertThat(health.all().buckets().get(seven).suppressed()).as("an hour nobody sent hides no one").isFalse();
        assertThat(health.all().buckets().get(seven).requests()).isNull();
    }

    /** Five seats in hours 01:00 to 05:00, and {@code aloneAtMidnight} seats at 00:00 as well. */
    private static List<Row> bucketWithAQuietHour(int aloneAtMidnight) {
        List<Row> rows = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            for (int h = 1; h < 6; h++) {
                rows.add(row("seat_" + s, "glm-4.6", "2026-11-26T0" + h + ":00:00Z", 10, 0, 0));
            }
            rows.add(row("seat_" + s, "glm-4.6", "2026-11-25T12:00:00Z", 10, 0, 0));
            rows.add(row("seat_" + s, "glm-4.6", "2026-11-25T06:00:00Z", 10, 0, 0));
        }
        for (int s = 0; s < aloneAtMidnight; s++) {
            rows.add(row("seat_" + s, "glm-4.6", "2026-11-26T00:00:00Z", 3, 0, 0));
        }
        return rows;
    }

    @Test
    void aSixHourBucketThatWouldGiveAwayAQuietHourIsHidden() {
        int midnight = HealthWindow.WEEK.index(Instant.parse("2026-11-26T00:00:00Z"), NOW);
        // The 24-hour view hides 00:00 (one seat) and shows 01:00 to 05:00: the bucket less those would be that seat's hour.
        ModelHealthResponse quiet = summarize(HealthWindow.WEEK, bucketWithAQuietHour(1));
        assertThat(quiet.models().get(0).buckets().get(midnight).suppressed()).isTrue();
        assertThat(quiet.all().buckets().get(midnight).suppressed()).isTrue();
        assertThat(quiet.models().get(0).buckets().stream().filter(HealthCell::suppressed).count())
                .as("the model's shown total must not give the bucket back").isGreaterThanOrEqualTo(2);

        // Two seats at midnight are still too few; five are not.
        assertThat(summarize(HealthWindow.WEEK, bucketWithAQuietHour(2)).models().get(0).buckets().get(midnight).suppressed()).isTrue();
        ModelHealthResponse busy = summarize(HealthWindow.WEEK, bucketWithAQuietHour(5));
        assertThat(busy.models().get(0).buckets().get(midnight).suppressed()).isFalse();
        assertThat(busy.models().get(0).buckets().get(midnight).requests()).isEqualTo(5 * 5 * 10 + 5 * 3);
    }

    @Test
    void csvHasAHeaderAndSaysWhatIsSuppressed() {
        List<Row> rows = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            rows.add(row("seat_" + s, "glm-4.6", "2026-11-26T09:00:00Z", 10, 0, 10));
        }
        String csv = HealthCsv.render(summarize(HealthWindow.DAY, rows));
        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).isEqualTo(HealthCsv.HEADER);
        assertThat(lines).hasSize(1 + 24 * 2);
        assertThat(lines).anyMatch(l -> l.startsWith("glm-4.6,2026-11-26T09:00:00Z,true,,"));
    }
}
