package dev.ccp.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.sdk.Quota.Counts;
import dev.ccp.sdk.Quota.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The clock starts at 2027-01-15T09:00:00Z. */
class QuotaTest extends UsageFixture {

    @Test
    void bufferedEventsCountAtOnce() {
        CcpClient ccp = usageClient();
        ccp.usage().record(ok(Duration.ZERO, "m1"));
        ccp.usage().record(ok(Duration.ZERO, "m2"));

        Quota quota = ccp.usage().quota();

        assertThat(store.writes).isEmpty();
        assertThat(quota.minute()).isEqualTo(new Counts(2, 2000, 400));
        assertThat(quota.today()).isEqualTo(new Counts(2, 2000, 400));
        assertThat(quota.month()).isEqualTo(new Counts(2, 2000, 400));
    }

    @Test
    void eventsCountOnceWhetherBufferedOrWritten() {
        CcpClient ccp = usageClient();
        ccp.usage().record(ok(Duration.ZERO, "m1"));
        ccp.usage().quota();
        ccp.usage().flush();
        ccp.usage().record(ok(Duration.ZERO, "m1"));

        assertThat(ccp.usage().quota().today().requests()).isEqualTo(2);
    }

    @Test
    void dayAndMonthSurviveARestartButTheMinuteStartsEmpty() {
        try (CcpClient before = usageClient()) {
            for (int i = 0; i < 3; i++) {
                before.usage().record(ok(Duration.ZERO, "m1"));
            }
            assertThat(before.usage().quota().minute().requests()).isEqualTo(3);
        }

        try (CcpClient after = usageClient()) {
            Quota quota = after.usage().quota();

            assertThat(quota.minute()).isEqualTo(Counts.ZERO);
            assertThat(quota.today().requests()).isEqualTo(3);
            assertThat(quota.month().requests()).isEqualTo(3);
        }
    }

    @Test
    void theMinuteEmptiesWhenTheNextOneStarts() {
        CcpClient ccp = usageClient();
        ccp.usage().record(ok(Duration.ZERO, "m1"));

        clock.advance(Duration.ofSeconds(60));

        assertThat(ccp.usage().quota().minute()).isEqualTo(Counts.ZERO);
        assertThat(ccp.usage().quota().today().requests()).isEqualTo(1);
    }

    @Test
    void earlierDaysCountForTheMonthOnly() {
        CcpClient ccp = usageClient();
        ccp.usage().importEvents(List.of(ok(Duration.ofDays(3), "m1"), ok(Duration.ofDays(20), "m1")));
        ccp.usage().record(ok(Duration.ZERO, "m1"));

        Quota quota = ccp.usage().quota();

        // 2027-01-12 is this month, 2026-12-26 is not.
        assertThat(quota.today().requests()).isEqualTo(1);
        assertThat(quota.month().requests()).isEqualTo(2);
    }

    @Test
    void aNewDayStartsFromZeroWhileTheMonthGoesOn() {
        clock.set(Instant.parse("2027-01-15T23:59:30Z"));
        CcpClient ccp = usageClient();
        ccp.usage().record(ok(Duration.ZERO, "m1"));
        assertThat(ccp.usage().quota().today().requests()).isEqualTo(1);

        clock.set(Instant.parse("2027-01-16T00:00:10Z"));
        ccp.usage().record(ok(Duration.ZERO, "m1"));

        Quota quota = ccp.usage().quota();
        assertThat(quota.today().requests()).isEqualTo(1);
        assertThat(quota.month().requests()).isEqualTo(2);
    }

    @Test
    void writesOfAnotherClientOnTheSameHomeShowWithinAMinute() {
        CcpClient mine = usageClient();
        assertThat(mine.usage().quota().today().requests()).isZero();
        try (CcpClient other = usageClient()) {
            other.usage().record(ok(Duration.ZERO, "m1"));
        }

        clock.advance(Duration.ofSeconds(61));

        assertThat(mine.usage().quota().today().requests()).isEqualTo(1);
    }

    @Test
    void allowsUntilALimitIsReachedAndNamesTheWindow() {
        CcpClient ccp = usageClient();
        QuotaLimits limits = QuotaLimits.none().requests(Window.MINUTE, 2).tokens(Window.DAY, 10_000);
        ccp.usage().record(ok(Duration.ZERO, "m1"));
        assertThat(ccp.usage().quota().allows(limits)).isTrue();

        ccp.usage().record(ok(Duration.ZERO, "m1"));
        assertThat(ccp.usage().quota().exceeded(limits)).contains(Window.MINUTE);

        clock.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 7; i++) {
            ccp.usage().record(ok(Duration.ZERO, "m1"));
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(ccp.usage().quota().exceeded(limits)).contains(Window.DAY);
        assertThat(ccp.usage().quota().allows(QuotaLimits.none())).isTrue();
    }
}
