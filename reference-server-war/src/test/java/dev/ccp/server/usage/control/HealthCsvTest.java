package dev.ccp.server.usage.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.spi.usage.LatencyBuckets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthCsvTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:30:00Z");
    private static final Instant NINE = Instant.parse("2026-11-26T09:00:00Z");

    /** Five seats at 09:00 sending {@code requests} each, and nothing in any other hour. */
    private static String csv(long requests) {
        List<UsageWindows.Sums> sums = new ArrayList<>();
        List<UsageWindows.SeatInBucket> seats = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            long[] totals = new long[6 + LatencyBuckets.COUNT];
            totals[0] = requests;
            sums.add(new UsageWindows.Sums("glm-4.6", NINE, totals));
            seats.add(new UsageWindows.SeatInBucket("glm-4.6", HealthWindow.DAY.index(NINE, NOW), "seat_" + s, 1));
        }
        return HealthCsv.render(ModelHealth.summarize("acme", 5, HealthWindow.DAY, NOW, sums, seats));
    }

    @Test
    void bucketWithoutRowsHasEmptyFieldsAndIsNotSuppressed() {
        List<String> lines = csv(20).lines().toList();
        assertThat(lines).contains("glm-4.6,2026-11-26T08:00:00Z,false,,,,,,,,", "all,2026-11-26T08:00:00Z,false,,,,,,,,");
        assertThat(lines).anyMatch(l -> l.startsWith("glm-4.6,2026-11-26T09:00:00Z,false,100,"));
    }

    @Test
    void bucketWhoseRowsCountNoRequestsSaysZero() {
        assertThat(csv(0).lines()).anyMatch(l -> l.startsWith("glm-4.6,2026-11-26T09:00:00Z,false,0,"));
    }
}
