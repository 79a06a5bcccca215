package dev.ccp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.sdk.CcpException.Kind;
import dev.ccp.sdk.testing.FakeCcpServer.Reply;
import dev.ccp.spi.usage.UsageEvent;
import dev.ccp.spi.wire.Problem;
import dev.ccp.spi.wire.RollupBatch;
import dev.ccp.spi.wire.RollupRow;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Export against the fake server; the clock starts at 2027-01-15T09:00:00Z, an hour's start. */
class ExportTest extends UsageFixture {

    static final String INGEST = "POST /v1/ingest/rollups";

    private CcpClient loggedIn() {
        CcpClient ccp = usageClient();
        login(ccp);
        return ccp;
    }

    /** One event in each of the last {@code hours} hours, so as many rows. */
    private void hourly(CcpClient ccp, int hours) {
        List<UsageEvent> events = new ArrayList<>();
        for (int h = 0; h < hours; h++) {
            events.add(ok(Duration.ofHours(h), "m1"));
        }
        ccp.usage().importEvents(events);
    }

    @Test
    void sendsTheChangedRowsAndNothingTheSecondTime() throws Exception {
        CcpClient ccp = loggedIn();
        ccp.usage().record(ok(Duration.ZERO, "claude-sonnet-4-5"));
        ccp.usage().record(ok(Duration.ofHours(2), "claude-sonnet-4-5"));
        ccp.usage().record(ok(Duration.ZERO, "glm-4.6"));

        ExportResult first = ccp.usage().export(ExportOptions.defaults());

        assertThat(first).extracting(ExportResult::batches, ExportResult::batchesSent, ExportResult::stored)
                .containsExactly(1, 1, 3L);
        assertThat(server.batches).singleElement().extracting(b -> b.rows().size()).isEqualTo(3);
        assertThat(pending()).isEmpty();

        ExportResult second = ccp.usage().export(ExportOptions.defaults());
        assertThat(second.nothingToSend()).isTrue();
        assertThat(server.count(INGEST)).isEqualTo(1);
    }

    @Test
    void aRowThatChangesAfterItsExportIsSentAgainWithAHigherRevision() {
        CcpClient ccp = loggedIn();
        ccp.usage().record(ok(Duration.ZERO, "m1"));
        ccp.usage().export(ExportOptions.defaults());

        ccp.usage().record(ok(Duration.ZERO, "m1"));
        ccp.usage().export(ExportOptions.defaults());

        RollupRow held = server.rollups.values().iterator().next();
        assertThat(held.revision()).isEqualTo(2);
        assertThat(held.requests()).isEqualTo(2);
    }

    @Test
    void rowsGoInBatchesOfAtMost500EachWithItsOwnIdempotencyKey() {
        CcpClient ccp = loggedIn();
        hourly(ccp, 600);
        List<ExportResult> progress = new ArrayList<>();

        ExportResult result = ccp.usage().export(ExportOptions.defaults().withHours(600).withListener(new ExportListener() {
            @Override
            public void onBatch(ExportResult soFar) {
                progress.add(soFar);
            }
        }));

        assertThat(server.batches).extracting(b -> b.rows().size()).containsExactly(500, 100);
        assertThat(server.idempotencyKeys).doesNotHaveDuplicates().hasSize(2);
        assertThat(progress).extracting(ExportResult::batchesSent, ExportResult::stored).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, 500L), org.assertj.core.groups.Tuple.tuple(2, 600L));
        assertThat(result.rows()).hasSize(600);
    }

    @Test
    void onlyTheLastHoursAreSentAndFutureHoursWait() {
        CcpClient ccp = loggedIn();
        ccp.usage().record(ok(Duration.ofHours(30), "m1"));
        ccp.usage().record(ok(Duration.ZERO, "m1"));
        ccp.usage().record(ok(clock.instant().plus(Duration.ofHours(2)), "m1"));

        Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS);

        ExportResult day = ccp.usage().export(ExportOptions.defaults());
        assertThat(day.rows()).extracting(RollupRow::hour).containsExactly(hour);

        ExportResult twoDays = ccp.usage().export(ExportOptions.defaults().withHours(48));
        assertThat(twoDays.rows()).extracting(RollupRow::hour).containsExactly(hour.minus(Duration.ofHours(30)));
    }

    @Test
    void aBusyServerIsAskedAgainAfterItsRetryAfterWithTheSameIdempotencyKey() {
        CcpClient ccp = loggedIn();
        ccp.usage().record(ok(Duration.ZERO, "m1"));
        server.ingestScript.add(Reply.retryAfter(503, "7"));
        server.ingestScript.add(Reply.retryAfter(429, "3"));
        List<String> retries = new ArrayList<>();

        ExportResult result = ccp.usage().export(ExportOptions.defaults().withListener(new ExportListener() {
            @Override
            public void onRetry(int attempt, Duration wait, String reason) {
                retries.add(attempt + ":" + wait.toSeconds() + ":" + reason);
            }
        }));

        assertThat(sleeper.seconds()).endsWith(7L, 3L);
        assertThat(retries).containsExactly("1:7:busy, retry later", "2:3:busy, retry later");
        assertThat(server.idempotencyKeys).hasSize(3).containsOnly(server.idempotencyKeys.get(0));
        assertThat(result.retries()).isEqualTo(2);
        assertThat(result.stored()).isEqualTo(1);
    }

    @Test
    void aServerStillStartingIsAskedAgainWithTheSameIdempotencyKey() {
        CcpClient ccp = loggedIn();
        ccp.usage().record(ok(Duration.ZERO, "m1"));
        server.notDeployed.addAll(List.of(404, 503, 500));

        ExportResult result = ccp.usage().export(ExportOptions.defaults());

        assertThat(result.stored()).isEqualTo(1);
        assertThat(result.retries()).isEqualTo(3);
        assertThat(server.idempotencyKeys).containsOnly(server.idempotencyKeys.get(0));
    }

    @Test
    void aServerThatKeepsFailingIsGivenUpAfterSixAttempts() {
        CcpClient ccp = loggedIn();
        ccp.usage().record(ok(Duration.ZERO, "m1"));
        for (int i = 0; i < 6; i++) {
            server.ingestScript.add(Reply.status(503));
        }

        assertThatThrownBy(() -> ccp.usage().export(ExportOptions.defaults()))
                .isInstanceOfSatisfying(CcpException.class, e -> assertThat(e.kind()).isEqualTo(Kind.SERVER_UNAVAILABLE))
                .hasMessageContaining("gave up after 6 attempts");
        assertThat(server.count(INGEST)).isEqualTo(6);
    }

    @Test
    void aRefusedBatchStopsTheExportWithTheServersDetailAndStaysPending() throws Exception {
        CcpClient ccp = loggedIn();
        ccp.usage().record(ok(Duration.ZERO, "m1"));
        server.ingestScript.add(Reply.problem(Problem.of(400, "invalid-rollup", "Invalid rollup row",
                "rows[0].latency_histogram counts add up to 2 but requests is 1")));

        assertThatThrownBy(() -> ccp.usage().export(ExportOptions.defaults()))
                .isInstanceOfSatisfying(CcpException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.BAD_REQUEST);
                    assertThat(e.problem()).get().extracting(Problem::slug).isEqualTo("invalid-rollup");
                })
                .hasMessage("rows[0].latency_histogram counts add up to 2 but requests is 1");
        assertThat(server.count(INGEST)).isEqualTo(1);
        assertThat(pending()).hasSize(1);
    }

    @Test
    void anExportInterruptedHalfWaySendsOnlyTheRestWhenRunAgain() {
        CcpClient ccp = loggedIn();
        hourly(ccp, 600);
        server.ingestScript.add(Reply.ACCEPT);
        server.ingestScript.add(Reply.status(503));
        CcpClient interrupted = usageBuilder().sleeper(d -> {
            throw new InterruptedException();
        }).build();

        assertThatThrownBy(() -> interrupted.usage().export(ExportOptions.defaults().withHours(600)))
                .isInstanceOfSatisfying(CcpException.class, e -> assertThat(e.kind()).isEqualTo(Kind.IO))
                .hasMessageContaining("after 1 of 2 batches");
        assertThat(Thread.interrupted()).isTrue();

        ExportResult rest = ccp.usage().export(ExportOptions.defaults().withHours(600));

        assertThat(rest.rows()).hasSize(100);
        assertThat(server.batches).extracting(b -> b.rows().size()).containsExactly(500, 100);
        assertThat(server.rollups).hasSize(600);
    }

    @Test
    void aDryRunCountsWhatWouldGoAndSendsNothing() throws Exception {
        CcpClient ccp = usageClient();
        hourly(ccp, 3);

        ExportResult plan = ccp.usage().export(ExportOptions.defaults().withDryRun(true));

        assertThat(plan).extracting(ExportResult::dryRun, ExportResult::batches, ExportResult::batchesSent)
                .containsExactly(true, 1, 0);
        assertThat(plan.rows()).hasSize(3);
        assertThat(server.requests).isEmpty();
        assertThat(pending()).hasSize(3);
    }

    @Test
    void aPlanThatKeepsUsageLocalSaysWhichPlanSendsIt() {
        CcpClient ccp = loggedIn();
        ccp.usage().record(ok(Duration.ZERO, "m1"));
        server.ingestScript.add(Reply.problem(new Problem(Problem.TYPE_BASE + "privacy-tier", "Usage stays local on this plan", 403,
                "The Free plan of acme keeps usage on your machine, so the server takes none; the Pro plan sends minimized "
                + "hourly rollups. Upgrade at https://ccp.example/pricing", null, "https://ccp.example/pricing", null)));

        assertThatThrownBy(() -> ccp.usage().export(ExportOptions.defaults()))
                .isInstanceOfSatisfying(CcpException.class, e -> assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN))
                .hasMessageContaining("the Pro plan sends minimized hourly rollups");
    }

    @Test
    void aPrivacyTierRefusalWithoutDetailStillSaysWhatWouldSendUsage() {
        CcpClient ccp = loggedIn();
        ccp.usage().record(ok(Duration.ZERO, "m1"));
        server.ingestScript.add(Reply.problem(new Problem(Problem.TYPE_BASE + "privacy-tier", null, 403, null, null, null, null)));

        assertThatThrownBy(() -> ccp.usage().export(ExportOptions.defaults()))
                .hasMessageContaining("a plan with the minimized privacy tier sends hourly rollups");
    }

    @Test
    void anAccessTokenTheServerNoLongerKnowsIsRenewedAndTheBatchSent() {
        CcpClient ccp = loggedIn();
        ccp.usage().record(ok(Duration.ZERO, "m1"));
        server.forgetAccessTokens();

        assertThat(ccp.usage().export(ExportOptions.defaults()).stored()).isEqualTo(1);
        assertThat(server.refreshes).hasValue(1);
    }

    @Test
    void exportingNeedsALogin() {
        CcpClient ccp = usageClient();
        ccp.usage().record(ok(Duration.ZERO, "m1"));

        assertThatThrownBy(() -> ccp.usage().export(ExportOptions.defaults()))
                .isInstanceOfSatisfying(CcpException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_LOGGED_IN));
    }

    @Test
    void theBatchOnTheWireIsTheMinimizedShapeOnly() {
        CcpClient ccp = loggedIn();
        ccp.usage().record(ok(Duration.ZERO, "m1"));

        ccp.usage().export(ExportOptions.defaults());

        RollupBatch batch = server.batches.get(0);
        assertThat(batch.rows()).singleElement().isEqualTo(new RollupRow(Instant.parse("2027-01-15T09:00:00Z"), "m1", 1,
                1, 0, 0, 0, 1000, 200, List.of(0L, 0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L, 0L)));
    }

    @Test
    void hoursOutsideWhatTheServerKeepsAreAMistake() {
        assertThatThrownBy(() -> ExportOptions.defaults().withHours(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExportOptions.defaults().withHours(9601)).isInstanceOf(IllegalArgumentException.class);
    }
}
