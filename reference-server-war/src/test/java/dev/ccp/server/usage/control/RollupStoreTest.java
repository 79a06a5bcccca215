package dev.ccp.server.usage.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.platform.Database;
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
    Principal acme;
    Principal other;

    @BeforeEach
    void setUp() {
        f = new Fixture(keys);
        store = new RollupStore(f.database.dataSource());
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
        assertThat(store.sums(who.orgId(), HOUR, HOUR.plusSeconds(3600), 3600).stream().mapToLong(s -> s.totals()[0]).sum())
                .as("the hourly sums of the 24-hour view agree").isEqualTo(kept);
        return kept;
    }

    private long bucketRequests(Principal who) {
        return store.sums(who.orgId(), BUCKET, BUCKET.plusSeconds(6 * 3600), 6 * 3600).stream().mapToLong(s -> s.totals()[0]).sum();
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
    void seatsAreCountedPerBucket() {
        ingest(acme, "seat_a", null, row("m1", 1, 10));
        ingest(acme, "seat_b", null, row("m1", 1, 7));
        ingest(acme, "seat_b", null, row("m2", 1, 7));
        assertThat(store.seats(acme.orgId(), HOUR.minusSeconds(3 * 3600), HOUR.plusSeconds(3 * 3600), 6 * 3600))
                .containsExactlyInAnyOrder(new RollupStore.SeatInBucket("m1", 0, "seat_a"), new RollupStore.SeatInBucket("m1", 0, "seat_b"),
                        new RollupStore.SeatInBucket("m2", 0, "seat_b"));
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
