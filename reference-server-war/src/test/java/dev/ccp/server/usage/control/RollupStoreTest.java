package dev.ccp.server.usage.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.platform.database.Database;
import dev.ccp.server.testing.Fixture;
import dev.ccp.spi.wire.IngestResult;
import dev.ccp.spi.wire.RollupRow;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollupStoreTest {

    static final Instant HOUR = Instant.parse("2026-11-26T09:00:00Z");
    static final Instant BUCKET = Instant.parse("2026-11-26T06:00:00Z");
    static final Instant NOW = Instant.parse("2026-11-26T10:30:00Z");

    @TempDir
    Path keys;
    Fixture f;
    RollupStore store;
    UsageWindows windows;
    Principal acme;
    Principal other;

    @BeforeEach
    void setUp() {
        f = new Fixture(keys);
        store = new RollupStore();
        windows = new UsageWindows(f.database.dataSource());
        acme = f.signIn("acme@example.com");
        other = f.signIn("other@example.com");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private static RollupRow row(String model, long revision, long requests) {
        RollupRow base = RollupValidatorTest.row(model, HOUR, requests);
        return new RollupRow(HOUR, model, revision, requests, 0, 0, 0, base.tokensIn(), base.tokensOut(), base.latencyHistogram());
    }

    private IngestResult ingest(Principal who, String seat, String key, RollupRow... rows) {
        return f.tx.call(em -> store.ingest(Database.connection(em), who.orgId(), seat, List.of(rows), key, NOW));
    }

    /** The org's requests in the 7-day view's bucket. */
    private long requests(Principal who) {
        long kept = bucketRequests(who);
        assertThat(windows.usage(who.orgId(), HOUR, HOUR.plusSeconds(3600), 3600).sums().stream().mapToLong(s -> s.totals()[0]).sum())
                .as("the hourly sums of the 24-hour view agree").isEqualTo(kept);
        return kept;
    }

    private long bucketRequests(Principal who) {
        return windows.usage(who.orgId(), BUCKET, BUCKET.plusSeconds(6 * 3600), 6 * 3600).sums().stream().mapToLong(s -> s.totals()[0]).sum();
    }

    @Test
    void theHealthViewsShowClosedBucketsOnly() {
        RollupRow nine = row("m1", 1, 10);
        RollupRow ten = new RollupRow(HOUR.plusSeconds(3600), "m1", 1, 7, 0, 0, 0, nine.tokensIn(), nine.tokensOut(), nine.latencyHistogram());
        ingest(acme, "seat_a", null, nine, ten);
        ModelHealth health = new ModelHealth(windows);

        // At 10:30 the 10:00 hour is still filling: a viewer who watched it would see each export land.
        var day = health.compute("acme", acme.orgId(), 1, HealthWindow.DAY, NOW);
        assertThat(day.to()).isEqualTo(HOUR.plusSeconds(3600));
        assertThat(day.all().buckets().get(23).start()).isEqualTo(HOUR);
        assertThat(day.all().total().requests()).isEqualTo(10);
        // The 06:00 bucket holding both is still filling too, so the 7-day view ends where it starts.
        var week = health.compute("acme", acme.orgId(), 1, HealthWindow.WEEK, NOW);
        assertThat(week.to()).isEqualTo(BUCKET);
        assertThat(week.all().total().requests()).as("no closed bucket holds a row: no data, not zero").isNull();
        assertThat(health.compute("acme", acme.orgId(), 1, HealthWindow.WEEK, BUCKET.plusSeconds(6 * 3600)).all().total().requests())
                .isEqualTo(17);
    }

    @Test
    void newRowsAreStoredAndRepeatsChangeNothing() {
        assertThat(ingest(acme, "seat_a", null, row("m1", 1, 10), row("m2", 1, 5))).isEqualTo(new IngestResult(2, 0, 0));
        assertThat(ingest(acme, "seat_a", null, row("m1", 1, 10), row("m2", 1, 5))).isEqualTo(new IngestResult(0, 2, 0));
        assertThat(requests(acme)).isEqualTo(15);
    }

    @Test
    void aHigherRevisionReplacesAndALowerOneIsIgnored() {
        ingest(acme, "seat_a", null, row("m1", 1, 10));
        assertThat(ingest(acme, "seat_a", null, row("m1", 3, 30))).isEqualTo(new IngestResult(1, 0, 0));
        assertThat(ingest(acme, "seat_a", null, row("m1", 2, 20))).isEqualTo(new IngestResult(0, 1, 0));
        assertThat(requests(acme)).isEqualTo(30);
    }

    @Test
    void theSameRevisionWithOtherTotalsIsRefusedAndKeepsTheStoredRow() {
        ingest(acme, "seat_a", null, row("m1", 2, 10));
        assertThat(ingest(acme, "seat_a", null, row("m1", 2, 99))).isEqualTo(new IngestResult(0, 0, 1));
        assertThat(requests(acme)).isEqualTo(10);
    }

    @Test
    void seatsAndOrgsAreKeptApart() {
        ingest(acme, "seat_a", null, row("m1", 1, 10));
        ingest(acme, "seat_b", null, row("m1", 1, 7));
        ingest(other, "seat_c", null, row("m1", 1, 1000));
        assertThat(requests(acme)).isEqualTo(17);
        assertThat(requests(other)).isEqualTo(1000);
    }

    @Test
    void theBucketSumsFollowEveryRevisionOfEverySeat() {
        ingest(acme, "seat_a", null, row("m1", 1, 10), row("m2", 1, 5));
        ingest(acme, "seat_b", null, row("m1", 1, 4));
        ingest(other, "seat_c", null, row("m1", 1, 7));
        assertThat(bucketRequests(acme)).as("an acknowledged batch is in the sums at once").isEqualTo(19);
        ingest(acme, "seat_a", null, row("m1", 2, 12));
        assertThat(requests(acme)).as("a new revision adds its difference").isEqualTo(21);
        ingest(acme, "seat_a", null, row("m1", 3, 8));
        assertThat(requests(acme)).as("and may take some away").isEqualTo(17);
        ingest(acme, "seat_a", null, row("m1", 3, 99));
        ingest(acme, "seat_a", null, row("m1", 1, 50));
        assertThat(requests(acme)).as("refused and older rows change nothing").isEqualTo(17);
        assertThat(requests(other)).isEqualTo(7);
    }

    @Test
    void seatsAreCountedPerBucketWithTheHoursTheySentUsageIn() {
        ingest(acme, "seat_a", null, row("m1", 1, 10));
        ingest(acme, "seat_b", null, row("m1", 1, 7));
        ingest(acme, "seat_b", null, row("m2", 1, 7));
        RollupRow seven = row("m1", 1, 3);
        ingest(acme, "seat_a", null, new RollupRow(BUCKET.plusSeconds(3600), "m1", 1, 3, 0, 0, 0, seven.tokensIn(), seven.tokensOut(),
                seven.latencyHistogram()));
        // A new revision of a row already there adds no hour.
        ingest(acme, "seat_a", null, row("m1", 2, 12));

        // 09:00 is hour 3 of the 06:00 bucket, 07:00 hour 1.
        assertThat(windows.usage(acme.orgId(), BUCKET, BUCKET.plusSeconds(6 * 3600), 6 * 3600).seats())
                .containsExactlyInAnyOrder(new UsageWindows.SeatInBucket("m1", 0, "seat_a", 0b1010),
                        new UsageWindows.SeatInBucket("m1", 0, "seat_b", 0b1000), new UsageWindows.SeatInBucket("m2", 0, "seat_b", 0b1000));
    }

    @Test
    void aRepeatedIdempotencyKeyAnswersTheFirstAnswer() {
        IngestResult first = ingest(acme, "seat_a", "batch-1", row("m1", 1, 10));
        IngestResult again = ingest(acme, "seat_a", "batch-1", row("m1", 1, 10));
        assertThat(again).isEqualTo(first).isEqualTo(new IngestResult(1, 0, 0));
        assertThat(ingest(other, "seat_c", "batch-1", row("m1", 1, 10))).as("keys are per org").isEqualTo(new IngestResult(1, 0, 0));
        assertThat(requests(other)).as("the other org's batch was stored, not answered from the first").isEqualTo(10);
        assertThat(ingest(acme, "seat_b", "batch-1", row("m2", 1, 5))).as("keys are per seat").isEqualTo(new IngestResult(1, 0, 0));
        assertThat(requests(acme)).isEqualTo(15);
    }
}
