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
        List<RollupStore.Sums> sums = rows.stream().map(r -> new RollupStore.Sums(r.model(), r.hour(), r.totals())).toList();
        List<RollupStore.SeatInBucket> seats = rows.stream()
                .map(r -> new RollupStore.SeatInBucket(r.model(), window.index(r.hour(), NOW), r.seat())).toList();
        return ModelHealth.summarize("acme", 5, window, NOW, sums, seats);
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
        assertThat(health.to()).isEqualTo(Instant.parse("2026-11-26T12:00:00Z"));
        assertThat(health.from()).isEqualTo(Instant.parse("2026-11-19T12:00:00Z"));
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
        assertThat(HealthCsv.field("=cmd")).isEqualTo("\"'=cmd\"");
    }
}
