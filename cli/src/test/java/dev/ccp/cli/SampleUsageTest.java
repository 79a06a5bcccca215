package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.spi.usage.Outcome;
import dev.ccp.spi.usage.UsageEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SampleUsageTest {

    static final Instant END = Instant.parse("2027-01-15T09:30:00Z");
    final List<UsageEvent> week = SampleUsage.generate(END, 7, 42);

    @Test
    void theSameSeedGivesTheSameEvents() {
        assertThat(SampleUsage.generate(END, 7, 42)).isEqualTo(week);
        assertThat(SampleUsage.generate(END, 7, 43)).isNotEqualTo(week);
    }

    @Test
    void eventsFillTheDaysEndingAtTheEndAndNoLater() {
        assertThat(week).isSortedAccordingTo(java.util.Comparator.comparing(UsageEvent::ts));
        assertThat(week.get(0).ts()).isAfterOrEqualTo(END.minusSeconds(7 * 86400));
        assertThat(week.get(week.size() - 1).ts()).isBefore(END);
    }

    @Test
    void afternoonsAreBusierThanNights() {
        Map<Integer, Long> byHour = week.stream().collect(Collectors.groupingBy(e -> e.ts().atZone(ZoneOffset.UTC).getHour(),
                Collectors.counting()));
        assertThat(byHour.getOrDefault(14, 0L)).isGreaterThan(5 * byHour.getOrDefault(3, 0L));
    }

    @Test
    void aFewPercentFailAndOnlyTheOffloadedModelIsOffloaded() {
        long errors = week.stream().filter(e -> e.outcome() == Outcome.ERROR).count();
        long limited = week.stream().filter(e -> e.outcome() == Outcome.RATE_LIMITED).count();
        assertThat((double) errors / week.size()).isBetween(0.005, 0.04);
        assertThat(limited).isPositive();
        assertThat(week).filteredOn(UsageEvent::offloaded).extracting(UsageEvent::model).containsOnly("glm-4.6");
        assertThat(week).extracting(UsageEvent::model).contains("claude-sonnet-4-5", "claude-haiku-4-5", "glm-4.6");
    }

    @Test
    void latenciesSpreadLikeRealOnes() {
        List<Long> ok = week.stream().filter(e -> e.outcome() == Outcome.OK && e.model().equals("claude-haiku-4-5"))
                .map(UsageEvent::latencyMs).sorted().toList();
        long median = ok.get(ok.size() / 2);
        long p95 = ok.get(ok.size() * 95 / 100);
        assertThat(median).isBetween(450L, 900L);
        assertThat(p95).isGreaterThan(2 * median);
    }
}
