package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.sdk.testing.FakeCcpServer.Reply;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.Problem;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExportRollupsCommandTest extends CliFixture {

    static final String INGEST = "POST /v1/ingest/rollups";

    /** Logs in, then imports requests in two hours of one model and one hour of another: three rows, four requests. */
    private void threeRows() {
        assertThat(login().exit()).isZero();
        assertThat(ccp("db", "import", file("in.jsonl", line(Duration.ZERO, "claude-sonnet-4-5"),
                line(Duration.ofSeconds(1), "claude-sonnet-4-5"), line(Duration.ofHours(3), "claude-sonnet-4-5"),
                line(Duration.ofMinutes(1), "glm-4.6")).toString()).exit()).isZero();
    }

    @Test
    void sendsTheChangedRowsWithProgressAndASummary() {
        threeRows();

        Run run = ccp("export", "rollups");

        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).containsExactly(
                "Sending 3 rows in 1 batch…",
                "  batch 1/1: 3 rows — 3 stored, 0 unchanged, 0 refused",
                "✓ Sent 3 rows in 1 batch: 3 stored, 0 unchanged, 0 refused");
        assertThat(server.rollups).hasSize(3);
    }

    @Test
    void aSecondExportHasNothingToSend() {
        threeRows();
        ccp("export", "rollups");

        Run run = ccp("export", "rollups");

        assertThat(run.outLines()).containsExactly("Nothing to send: no rollup of the last 24 hours changed since the last export.");
        assertThat(server.count(INGEST)).isEqualTo(1);
    }

    @Test
    void aDryRunShowsWhatWouldGoAndSendsNothing() {
        threeRows();

        Run run = ccp("export", "rollups", "--dry-run", "--hours", "2");

        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).containsExactly(
                "Dry run: would send 2 rows in 1 batch (the last 2 hours, 2027-01-15T08:00:00Z to 2027-01-15T10:00:00Z):",
                "  claude-sonnet-4-5        1 row, 2 requests",
                "  glm-4.6                  1 row, 1 request");
        assertThat(server.count(INGEST)).isZero();
    }

    @Test
    void jsonPutsTheSummaryOnStdoutAndProgressOnStderr() throws Exception {
        threeRows();

        Run run = ccp("export", "rollups", "--json");

        JsonNode summary = Json.lenient().readTree(run.out());
        assertThat(summary.get("rows").asInt()).isEqualTo(3);
        assertThat(summary.get("batches_sent").asInt()).isEqualTo(1);
        assertThat(summary.get("stored").asInt()).isEqualTo(3);
        assertThat(summary.get("models").get("glm-4.6").get("requests").asInt()).isEqualTo(1);
        assertThat(run.errLines()).containsExactly("Sending 3 rows in 1 batch…", "  batch 1/1: 3 rows — 3 stored, 0 unchanged, 0 refused");
    }

    @Test
    void aBusyServerIsRetriedAfterItsRetryAfter() {
        threeRows();
        server.ingestScript.add(Reply.retryAfter(503, "12"));

        Run run = ccp("export", "rollups");

        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).contains("  busy, retry later — retrying in 12 s (attempt 2)");
        assertThat(sleeper.seconds()).endsWith(12L);
        assertThat(server.idempotencyKeys).hasSize(2).doesNotContainNull();
        assertThat(server.idempotencyKeys.get(0)).isEqualTo(server.idempotencyKeys.get(1));
    }

    @Test
    void aRefusedBatchExitsNineWithTheServersDetail() {
        threeRows();
        server.ingestScript.add(Reply.problem(Problem.of(400, "invalid-rollup", "Invalid rollup row",
                "rows[1].hour is in the future (2027-01-15T11:00:00Z)")));

        Run run = ccp("export", "rollups");

        assertThat(run.exit()).isEqualTo(9);
        assertThat(run.errLines()).containsExactly("ccp: rows[1].hour is in the future (2027-01-15T11:00:00Z)");
    }

    @Test
    void aPlanThatKeepsUsageLocalExitsSixAndSaysWhichPlanSendsIt() {
        threeRows();
        server.ingestScript.add(Reply.problem(new Problem(Problem.TYPE_BASE + "privacy-tier", "Usage stays local on this plan",
                403, "The Free plan of acme keeps usage on your machine, so the server takes none; the Pro plan sends "
                + "minimized hourly rollups. Upgrade at https://ccp.example/pricing", null, "https://ccp.example/pricing", null)));

        Run run = ccp("export", "rollups");

        assertThat(run.exit()).isEqualTo(6);
        assertThat(run.errLines()).containsExactly("ccp: The Free plan of acme keeps usage on your machine, so the server takes "
                + "none; the Pro plan sends minimized hourly rollups. Upgrade at https://ccp.example/pricing");
    }

    @Test
    void noSeatExitsSix() {
        threeRows();
        server.noSeat = true;

        Run run = ccp("export", "rollups");

        assertThat(run.exit()).isEqualTo(6);
        assertThat(run.errLines()).containsExactly("ccp: You hold no seat in org acme — ask an owner or admin of the org");
    }

    @Test
    void aServerThatStaysDownExitsFiveAfterTheRetries() {
        threeRows();
        for (int i = 0; i < 6; i++) {
            server.ingestScript.add(Reply.status(502));
        }

        Run run = ccp("export", "rollups");

        assertThat(run.exit()).isEqualTo(5);
        assertThat(run.errLines()).containsExactly("ccp: scripted 502 (gave up after 6 attempts) — the server is not serving right now; try again in a moment");
        assertThat(ccp("db", "status", "--json").out()).contains("\"pending_rows\" : 3");
    }

    @Test
    void exportingNeedsALogin() {
        ccp("db", "import", file("in.jsonl", line(Duration.ZERO, "m1")).toString());

        Run run = ccp("export", "rollups");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly("ccp: not logged in — run `ccp login`");
    }

    @Test
    void hoursOutsideTheServersRetentionAreAUsageError() {
        Run run = ccp("export", "rollups", "--hours", "0");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("ccp: --hours must be between 1 and 9600 (the server keeps 400 days), was 0");
    }
}
