package dev.ccp.server.usage.control;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.spi.wire.RollupRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollupValidatorTest {

    static final Instant NOW = Instant.parse("2026-11-26T10:30:00Z");
    static final Instant HOUR = Instant.parse("2026-11-26T09:00:00Z");

    static RollupRow row(String model, Instant hour, long requests) {
        List<Long> histogram = new ArrayList<>(Collections.nCopies(10, 0L));
        histogram.set(3, requests);
        return new RollupRow(hour, model, 1, requests, 0, 0, 0, requests * 100, requests * 10, histogram);
    }

    @Test
    void aGoodBatchPasses() {
        assertThatCode(() -> RollupValidator.validate(List.of(row("claude-sonnet-4-5", HOUR, 10),
                row("glm-4.6", HOUR, 3), row("claude-sonnet-4-5", Instant.parse("2026-11-26T10:00:00Z"), 1)), NOW)).doesNotThrowAnyException();
    }

    @Test
    void eachRefusalNamesTheRowAndField() {
        assertRefused(List.of(row("ok", HOUR, 1), row("Bad Model!", HOUR, 1)), "rows[1].model");
        assertRefused(List.of(row("m", Instant.parse("2026-11-26T09:30:00Z"), 1)), "rows[0].hour must be the start of a UTC hour");
        assertRefused(List.of(row("m", Instant.parse("2026-11-26T11:00:00Z"), 1)), "rows[0].hour is in the future");
        assertRefused(List.of(row("m", HOUR.minus(Duration.ofDays(401)), 1)), "older than the 400-day retention");
        assertRefused(List.of(row("m", HOUR, -1)), "rows[0].requests must be between");
        assertRefused(List.of(row("m", HOUR, 20_000_000)), "rows[0].requests must be between 0 and 10000000");
        assertRefused(List.of(row("m", HOUR, 1), row("m", HOUR, 2)), "rows[1] repeats model m");
        RollupRow badHistogram = new RollupRow(HOUR, "m", 1, 5, 0, 0, 0, 1, 1, List.of(1L, 1L));
        assertRefused(List.of(badHistogram), "rows[0].latency_histogram must have 10 buckets");
        RollupRow wrongSum = new RollupRow(HOUR, "m", 1, 5, 0, 0, 0, 1, 1, Collections.nCopies(10, 1L));
        assertRefused(List.of(wrongSum), "add up to 10 but requests is 5");
        RollupRow moreErrors = new RollupRow(HOUR, "m", 1, 1, 2, 0, 0, 1, 1, row("m", HOUR, 1).latencyHistogram());
        assertRefused(List.of(moreErrors), "rows[0].errors must be between 0 and 1");
        RollupRow revisionZero = new RollupRow(HOUR, "m", 0, 1, 0, 0, 0, 1, 1, row("m", HOUR, 1).latencyHistogram());
        assertRefused(List.of(revisionZero), "rows[0].revision");
    }

    @Test
    void emptyAndOversizedBatchesAreRefused() {
        assertRefused(List.of(), "at least one row");
        List<RollupRow> many = new ArrayList<>();
        for (int i = 0; i < RollupValidator.MAX_ROWS + 1; i++) {
            many.add(row("m" + i, HOUR, 1));
        }
        assertThatThrownBy(() -> RollupValidator.validate(many, NOW)).isInstanceOf(ProblemException.class)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((ProblemException) e).problem().status()).isEqualTo(413));
    }

    private static void assertRefused(List<RollupRow> rows, String message) {
        assertThatThrownBy(() -> RollupValidator.validate(rows, NOW)).isInstanceOf(ProblemException.class).hasMessageContaining(message);
    }
}
