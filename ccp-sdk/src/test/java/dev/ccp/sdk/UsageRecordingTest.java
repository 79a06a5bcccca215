package dev.ccp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.sdk.UsageStatus.State;
import dev.ccp.spi.usage.Outcome;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class UsageRecordingTest extends UsageFixture {

    @Test
    void eventsWaitInMemoryUntilABatchIsFullThenGoInOneWrite() throws Exception {
        CcpClient ccp = usageBuilder().usageBatching(3, Duration.ofMinutes(1)).build();

        ccp.usage().record(ok(Duration.ZERO, "m1"));
        ccp.usage().record(ok(Duration.ZERO, "m1"));
        assertThat(store.writes).isEmpty();

        ccp.usage().record(ok(Duration.ZERO, "m2"));
        assertThat(store.writes).containsExactly(3);
        assertThat(stored().events()).isEqualTo(3);
    }

    @Test
    void eventsAreWrittenOnceTheOldestHasWaitedTheFlushInterval() throws Exception {
        CcpClient ccp = usageBuilder().usageBatching(100, Duration.ofSeconds(10)).build();

        ccp.usage().record(ok(Duration.ZERO, "m1"));
        clock.advance(Duration.ofSeconds(9));
        ccp.usage().record(ok(Duration.ZERO, "m1"));
        assertThat(store.writes).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        ccp.usage().record(ok(Duration.ZERO, "m1"));
        assertThat(store.writes).containsExactly(3);
    }

    @Test
    void closeWritesWhatIsBuffered() throws Exception {
        CcpClient ccp = usageClient();
        ccp.usage().record(ok(Duration.ZERO, "m1"));
        ccp.usage().record(ok(Duration.ZERO, "m2"));

        ccp.close();

        assertThat(store.writes).containsExactly(2);
        assertThat(ccp.usage().status().state()).isEqualTo(State.CLOSED);
    }

    @Test
    void theDefaultWriterThreadHandsEverythingToTheStoreByClose() throws Exception {
        CcpClient ccp = builder().build();
        for (int i = 0; i < 1200; i++) {
            ccp.usage().record(ok(Duration.ofSeconds(i), "m1"));
        }

        ccp.close();

        assertThat(stored().events()).isEqualTo(1200);
        assertThat(ccp.usage().status()).extracting(UsageStatus::recorded, UsageStatus::written, UsageStatus::dropped)
                .containsExactly(1200L, 1200L, 0L);
    }

    @Test
    void flushWritesNowOnTheCallersThread() throws Exception {
        CcpClient ccp = usageClient();
        ccp.usage().record(ok(Duration.ZERO, "m1"));

        ccp.usage().flush();

        assertThat(store.writes).containsExactly(1);
    }

    @Test
    void aFailingStoreIsReportedNotThrownAndItsEventsAreWrittenOnceItRecovers() throws Exception {
        CcpClient ccp = usageBuilder().usageBatching(2, Duration.ofMinutes(1)).build();
        List<UsageStatus> heard = new CopyOnWriteArrayList<>();
        ccp.usage().addListener(heard::add);
        store.failing = true;

        ccp.usage().record(ok(Duration.ZERO, "m1"));
        ccp.usage().record(ok(Duration.ZERO, "m1"));

        assertThat(ccp.usage().status().state()).isEqualTo(State.FAILING);
        assertThat(ccp.usage().status().error()).contains("disk full");
        assertThat(heard).extracting(UsageStatus::state).containsExactly(State.FAILING);

        store.failing = false;
        ccp.usage().record(ok(Duration.ZERO, "m1"));
        ccp.usage().record(ok(Duration.ZERO, "m1"));

        assertThat(stored().events()).isEqualTo(4);
        assertThat(heard).extracting(UsageStatus::state).containsExactly(State.FAILING, State.RECORDING);
        assertThat(ccp.usage().status().written()).isEqualTo(4);
    }

    @Test
    void aFullBufferDropsNewEventsAndCountsThem() {
        CcpClient ccp = usageBuilder().usageBuffer(2).build();
        store.failing = true;

        for (int i = 0; i < 5; i++) {
            ccp.usage().record(ok(Duration.ZERO, "m1"));
        }

        assertThat(ccp.usage().status()).extracting(UsageStatus::recorded, UsageStatus::dropped).containsExactly(2L, 3L);
    }

    @Test
    void closingWithAStoreThatStillFailsCountsTheBufferedEventsAsDropped() {
        CcpClient ccp = usageClient();
        store.failing = true;
        ccp.usage().record(ok(Duration.ZERO, "m1"));

        ccp.close();

        assertThat(ccp.usage().status()).extracting(UsageStatus::state, UsageStatus::dropped).containsExactly(State.CLOSED, 1L);
    }

    @Test
    void flushReportsAFailingStoreToItsCaller() {
        CcpClient ccp = usageClient();
        store.failing = true;
        ccp.usage().record(ok(Duration.ZERO, "m1"));

        assertThatThrownBy(() -> ccp.usage().flush())
                .isInstanceOfSatisfying(CcpException.class, e -> assertThat(e.kind()).isEqualTo(CcpException.Kind.IO))
                .hasMessageContaining("disk full");
    }

    @Test
    void recordingAfterCloseIsAMistake() {
        CcpClient ccp = usageClient();
        ccp.close();

        assertThatThrownBy(() -> ccp.usage().record(ok(Duration.ZERO, "m1"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aModelThatIsNotAnIdIsRefusedWhenRecorded() {
        CcpClient ccp = usageClient();

        assertThatThrownBy(() -> ccp.usage().record("Claude Sonnet", Outcome.OK, Duration.ofMillis(5), 1, 1, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model must match");
    }

    @Test
    void theShortFormRecordsARequestEndingNow() throws Exception {
        CcpClient ccp = usageClient();

        ccp.usage().record("claude-haiku-4-5", Outcome.RATE_LIMITED, Duration.ofMillis(120), 300, 0, false);
        ccp.close();

        assertThat(stored().newestEvent()).isEqualTo(clock.instant());
        assertThat(pending()).singleElement().satisfies(row -> {
            assertThat(row.rateLimited()).isEqualTo(1);
            assertThat(row.latencyHistogram().get(2)).isEqualTo(1);
        });
    }

    @Test
    void aClientThatNeverRecordsLeavesNoStoreBehind() throws Exception {
        CcpClient ccp = builder().build();
        ccp.license();

        ccp.close();

        assertThat(Files.exists(home.resolve("usage.mv.db"))).isFalse();
    }

    @Test
    void theStoreCanLiveInAFolderOfItsOwn() throws Exception {
        CcpClient ccp = builder().usageHome(home.resolve("data")).usageExecutor(Runnable::run).build();
        ccp.usage().record(ok(Duration.ZERO, "m1"));

        ccp.close();

        assertThat(home.resolve("data").resolve("usage.mv.db")).exists();
        assertThat(ccp.usage().home()).isEqualTo(home.resolve("data"));
    }

    @Test
    void pruningDropsRawEventsPastTheRetentionAndKeepsTheirRollups() throws Exception {
        CcpClient ccp = usageClient();
        ccp.usage().record(ok(Duration.ZERO, "m1"));
        ccp.usage().flush();
        clock.advance(Duration.ofDays(31));

        assertThat(ccp.usage().prune().events()).isEqualTo(1);

        assertThat(stored().events()).isZero();
        assertThat(stored().rollups()).isEqualTo(1);
    }

    @Test
    void aClientOpeningTheStorePrunesItAndAShorterRetentionPrunesSooner() throws Exception {
        try (CcpClient first = usageClient()) {
            first.usage().record(ok(Duration.ZERO, "m1"));
        }
        clock.advance(Duration.ofDays(3));

        try (CcpClient second = usageBuilder().usageRetention(Duration.ofDays(2)).build()) {
            assertThat(second.usage().storeStatus().events()).isZero();
            assertThat(second.usage().storeStatus().rollups()).isEqualTo(1);
        }
    }
}
