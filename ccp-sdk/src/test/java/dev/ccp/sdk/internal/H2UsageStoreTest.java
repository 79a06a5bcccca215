package dev.ccp.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ccp.sdk.Sleeper;
import dev.ccp.spi.store.UsageStore;
import dev.ccp.spi.usage.LatencyBuckets;
import dev.ccp.spi.usage.Outcome;
import dev.ccp.spi.usage.UsageEvent;
import dev.ccp.spi.wire.RollupRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2UsageStoreTest {

    static final Instant T0 = Instant.parse("2027-01-15T09:00:00Z");
    static final Instant FAR_PAST = Instant.EPOCH;
    static final Instant FAR_FUTURE = Instant.parse("2100-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private H2UsageStore store() throws IOException {
        return H2UsageStore.open(dir, Sleeper.system());
    }

    static UsageEvent event(Instant ts, String model, Outcome outcome, long latency, long in, long out, boolean offloaded) {
        return new UsageEvent(ts, model, outcome, latency, in, out, offloaded);
    }

    static UsageEvent ok(Instant ts, String model) {
        return event(ts, model, Outcome.OK, 800, 1000, 200, false);
    }

    @Test
    void incrementalRollupsMatchARecomputationFromTheRawEvents() throws Exception {
        H2UsageStore store = store();
        Random random = new Random(42);
        List<UsageEvent> all = new ArrayList<>();
        String[] models = {"claude-sonnet-4-5", "claude-haiku-4-5", "glm-4.6"};
        for (int batch = 0; batch < 12; batch++) {
            List<UsageEvent> events = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Instant ts = T0.plusSeconds(random.nextInt(6 * 3600));
                events.add(event(ts, models[random.nextInt(3)], Outcome.values()[random.nextInt(3)],
                        random.nextInt(40_000), random.nextInt(5000), random.nextInt(900), random.nextBoolean()));
            }
            store.record(events);
            all.addAll(events);
        }

        List<RollupRow> stored = store.rollups(FAR_PAST, FAR_FUTURE);

        assertThat(withoutRevision(stored)).isEqualTo(withoutRevision(recompute(all)));
    }

    @Test
    void eachChangeRaisesTheRowsRevisionByOneAndNewRowsStartAtOne() throws Exception {
        H2UsageStore store = store();
        store.record(List.of(ok(T0, "m1"), ok(T0.plusSeconds(1), "m1")));
        store.record(List.of(ok(T0.plusSeconds(2), "m1"), ok(T0.plusSeconds(3), "m2")));

        assertThat(store.rollups(FAR_PAST, FAR_FUTURE)).extracting(RollupRow::model, RollupRow::revision, RollupRow::requests)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("m1", 2L, 3L), org.assertj.core.groups.Tuple.tuple("m2", 1L, 1L));
    }

    @Test
    void rowsStayPendingUntilMarkedAndAgainWhenTheyChange() throws Exception {
        H2UsageStore store = store();
        store.record(List.of(ok(T0, "m1"), ok(T0.plusSeconds(3600), "m1")));
        List<RollupRow> pending = store.pending(FAR_PAST, FAR_FUTURE);
        assertThat(pending).hasSize(2);

        assertThat(store.markExported(pending)).isEqualTo(2);
        assertThat(store.pending(FAR_PAST, FAR_FUTURE)).isEmpty();

        store.record(List.of(ok(T0.plusSeconds(60), "m1")));
        assertThat(store.pending(FAR_PAST, FAR_FUTURE)).singleElement()
                .satisfies(row -> assertThat(row.hour()).isEqualTo(T0))
                .satisfies(row -> assertThat(row.revision()).isEqualTo(2));
    }

    @Test
    void aRowThatChangedAfterItWasReadIsNotMarkedAsSent() throws Exception {
        H2UsageStore store = store();
        store.record(List.of(ok(T0, "m1")));
        List<RollupRow> read = store.pending(FAR_PAST, FAR_FUTURE);
        store.record(List.of(ok(T0.plusSeconds(1), "m1")));

        assertThat(store.markExported(read)).isZero();
        assertThat(store.pending(FAR_PAST, FAR_FUTURE)).singleElement().extracting(RollupRow::revision).isEqualTo(2L);
    }

    @Test
    void pendingKeepsToItsHours() throws Exception {
        H2UsageStore store = store();
        store.record(List.of(ok(T0.minusSeconds(7200), "m1"), ok(T0, "m1"), ok(T0.plusSeconds(7200), "m1")));

        assertThat(store.pending(T0, T0.plusSeconds(3600))).extracting(RollupRow::hour).containsExactly(T0);
    }

    @Test
    void pruningRawEventsKeepsTheirRollups() throws Exception {
        H2UsageStore store = store();
        store.record(List.of(ok(T0, "m1"), ok(T0.plus(Duration.ofDays(40)), "m1")));
        List<RollupRow> before = store.rollups(FAR_PAST, FAR_FUTURE);

        UsageStore.Pruned pruned = store.prune(T0.plus(Duration.ofDays(10)), FAR_PAST);

        assertThat(pruned).isEqualTo(new UsageStore.Pruned(1, 0));
        assertThat(store.status().events()).isEqualTo(1);
        assertThat(store.rollups(FAR_PAST, FAR_FUTURE)).isEqualTo(before);
    }

    @Test
    void pruningRollupsDropsOnlyOldHours() throws Exception {
        H2UsageStore store = store();
        store.record(List.of(ok(T0, "m1"), ok(T0.plus(Duration.ofDays(500)), "m1")));

        UsageStore.Pruned pruned = store.prune(FAR_PAST, T0.plus(Duration.ofDays(100)));

        assertThat(pruned.rollups()).isEqualTo(1);
        assertThat(store.rollups(FAR_PAST, FAR_FUTURE)).extracting(RollupRow::hour).containsExactly(T0.plus(Duration.ofDays(500)));
    }

    @Test
    void importingTheSameEventsTwiceCountsThemOnce() throws Exception {
        H2UsageStore store = store();
        List<UsageEvent> file = List.of(ok(T0, "m1"), ok(T0.plusSeconds(1), "m1"), ok(T0.plusSeconds(2), "m2"));

        assertThat(store.importEvents(file)).isEqualTo(new UsageStore.Imported(3, 0));
        assertThat(store.importEvents(file)).isEqualTo(new UsageStore.Imported(0, 3));

        assertThat(store.status().events()).isEqualTo(3);
        assertThat(store.totals(FAR_PAST, FAR_FUTURE).requests()).isEqualTo(3);
    }

    @Test
    void identicalLinesInOneImportCollapseButRecordedTwinsAreTwoRequests() throws Exception {
        H2UsageStore store = store();
        UsageEvent twin = ok(T0, "m1");

        assertThat(store.importEvents(List.of(twin, twin))).isEqualTo(new UsageStore.Imported(1, 1));
        store.record(List.of(ok(T0.plusSeconds(5), "m1"), ok(T0.plusSeconds(5), "m1")));

        assertThat(store.status().events()).isEqualTo(3);
    }

    @Test
    void reImportingAnExportOfRecordedEventsAddsNothing() throws Exception {
        H2UsageStore store = store();
        store.record(List.of(ok(T0.plusNanos(1_234_567), "m1"), ok(T0.plusSeconds(1), "m2")));
        List<UsageEvent> exported = new ArrayList<>();
        store.forEachEvent(FAR_PAST, exported::add);

        assertThat(store.importEvents(exported)).isEqualTo(new UsageStore.Imported(0, 2));
        assertThat(exported.get(0).ts()).isEqualTo(T0.plusMillis(1));
    }

    @Test
    void totalsSumRequestsAndTokensOverTheHours() throws Exception {
        H2UsageStore store = store();
        store.record(List.of(ok(T0, "m1"), ok(T0.plusSeconds(4000), "m2"), ok(T0.plusSeconds(9000), "m1")));

        assertThat(store.totals(T0, T0.plusSeconds(7200))).isEqualTo(new UsageStore.Totals(2, 2000, 400));
    }

    @Test
    void statusCountsEventsRollupsAndPendingRows() throws Exception {
        H2UsageStore store = store();
        store.record(List.of(ok(T0, "m1"), ok(T0.plusSeconds(4000), "m1")));
        store.markExported(store.pending(T0, T0.plusSeconds(3600)));

        UsageStore.Status status = store.status();

        assertThat(status.location()).endsWith("usage.mv.db");
        assertThat(status.bytesOnDisk()).isPositive();
        assertThat(status.events()).isEqualTo(2);
        assertThat(status.rollups()).isEqualTo(2);
        assertThat(status.pendingRows()).isEqualTo(1);
        assertThat(status.oldestEvent()).isEqualTo(T0);
        assertThat(status.newestEvent()).isEqualTo(T0.plusSeconds(4000));
    }

    @Test
    void compactingAfterAPruneGivesTheSpaceBack() throws Exception {
        H2UsageStore store = store();
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            events.add(ok(T0.plusSeconds(i), "m" + i % 7));
        }
        store.record(events);
        store.prune(FAR_FUTURE, FAR_PAST);
        long before = store.status().bytesOnDisk();

        store.compact();

        assertThat(store.status().bytesOnDisk()).isLessThan(before / 2);
        assertThat(store.rollups(FAR_PAST, FAR_FUTURE)).hasSize(7 * 2);
    }

    @Test
    void theFileIsTheOwnersAlone() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));

        store();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("usage.mv.db")))).isEqualTo("rw-------");
    }

    @Test
    void anEmptyStoreHasNoOldestEvent() throws Exception {
        assertThat(store().status().oldestEvent()).isNull();
    }

    @Test
    void reopeningKeepsWhatWasStored() throws Exception {
        store().record(List.of(ok(T0, "m1")));

        assertThat(store().status().events()).isEqualTo(1);
    }

    @Test
    void aStoreWrittenByANewerSchemaIsRefused() throws Exception {
        store();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("usage").toAbsolutePath(), "sa", "");
             Statement s = c.createStatement()) {
            s.execute("UPDATE schema_version SET version = 99");
        }

        assertThatThrownBy(this::store).isInstanceOf(IOException.class).hasMessageContaining("newer version (schema 99");
    }

    @Test
    void aWholeBatchIsRolledBackWhenOnePartFails() throws Exception {
        H2UsageStore store = store();
        store.importEvents(List.of(ok(T0, "m1")));
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("usage").toAbsolutePath(), "sa", "");
             Statement s = c.createStatement()) {
            // A rollup column too narrow for a second model makes the rollup step fail after the events went in.
            s.execute("ALTER TABLE usage_rollup ADD CONSTRAINT short_model CHECK (LENGTH(model) < 3)");
        }

        assertThatThrownBy(() -> store.record(List.of(ok(T0, "m1"), ok(T0, "long-model")))).isInstanceOf(IOException.class);
        assertThat(store.status().events()).isEqualTo(1);
    }

    /** The rollups as a plain GROUP BY over the raw events would give them. */
    private static List<RollupRow> recompute(List<UsageEvent> events) {
        Map<String, long[]> groups = new TreeMap<>();
        for (UsageEvent e : events) {
            Instant hour = Instant.ofEpochMilli(RollupTable.hourOf(e.ts().toEpochMilli()));
            long[] g = groups.computeIfAbsent(hour + "|" + e.model(), k -> new long[6 + LatencyBuckets.COUNT]);
            g[0]++;
            g[1] += e.outcome() == Outcome.ERROR ? 1 : 0;
            g[2] += e.outcome() == Outcome.RATE_LIMITED ? 1 : 0;
            g[3] += e.offloaded() ? 1 : 0;
            g[4] += e.tokensIn();
            g[5] += e.tokensOut();
            g[6 + LatencyBuckets.bucketOf(e.latencyMs())]++;
        }
        List<RollupRow> rows = new ArrayList<>();
        groups.forEach((key, g) -> {
            String[] parts = key.split("\\|");
            List<Long> histogram = new ArrayList<>();
            for (int b = 0; b < LatencyBuckets.COUNT; b++) {
                histogram.add(g[6 + b]);
            }
            rows.add(new RollupRow(Instant.parse(parts[0]), parts[1], 0, g[0], g[1], g[2], g[3], g[4], g[5], histogram));
        });
        return rows;
    }

    private static List<RollupRow> withoutRevision(List<RollupRow> rows) {
        return rows.stream().map(r -> new RollupRow(r.hour(), r.model(), 0, r.requests(), r.errors(), r.rateLimited(),
                r.offloaded(), r.tokensIn(), r.tokensOut(), r.latencyHistogram())).toList();
    }
}
