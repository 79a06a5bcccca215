package dev.ccp.server.slack.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccp.spi.wire.DecisionView;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.StepView;
import dev.ccp.spi.wire.WorkspaceRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run as a Slack message: what it shows, and Slack's Block Kit limits whatever the run holds. */
class RunMessageTest {

    static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
    static final String URL = "https://ccp.example/runs/run_1";

    @Test
    void aWaitingStepHasApproveAndRejectButtonsNamingRunAndStep() {
        ObjectNode message = RunMessage.of(run("waiting", null, List.of(step(1, "done", null), step(2, "waiting", null))), URL);

        assertThat(message.get("text").asText()).isEqualTo("Run run_1 (ship): waiting for approval: 1 step waits for approval");
        List<JsonNode> buttons = message.get("blocks").findParents("action_id");
        assertThat(buttons).extracting(b -> b.get("action_id").asText()).containsExactly(RunMessage.APPROVE, RunMessage.REJECT);
        assertThat(buttons).extracting(b -> b.get("value").asText()).containsOnly("run_1:2");
        assertThat(message.get("blocks").toString()).contains("<" + URL + "|Run run_1>", "deploy/app.yaml", "review path deploy/**");
    }

    @Test
    void theEndShowsTheCommitOrTheFailureAndNoButtons() {
        DecisionView approved = new DecisionView("approve", "ana", AT, "chat", null);
        ObjectNode done = RunMessage.of(run("succeeded", "0123456789abcdef0123", List.of(step(1, "done", approved))), URL);
        assertThat(done.get("text").asText()).isEqualTo("Run run_1 (ship): succeeded. Committed 0123456789ab");
        assertThat(done.get("blocks").toString()).contains("*approved* by ana via chat, done").doesNotContain("action_id");

        RunView failed = new RunView("run_1", "ship from Slack", "failed", "policy", new WorkspaceRef("yard", null, null, null), "ana", "chat",
                "ship", "tests", "runner gone", null, 9, AT, AT, List.of());
        assertThat(RunMessage.of(failed, URL).get("text").asText()).isEqualTo("Run run_1 (ship): failed. Failed: runner gone");
    }

    @Test
    void aRunOfTwoHundredStepsStaysWithinFiftyBlocksAndEveryTextWithinItsLimit() {
        List<StepView> steps = new ArrayList<>();
        for (int n = 1; n <= 200; n++) {
            steps.add(step(n, n % 2 == 0 ? "waiting" : "done", null));
        }
        RunView huge = new RunView("run_1", "x".repeat(200), "waiting", "all", new WorkspaceRef("y".repeat(200), null, null, null),
                "ana", "chat", null, "p".repeat(200), "m".repeat(2000), null, 400, AT, AT, steps);

        JsonNode blocks = RunMessage.of(huge, URL).get("blocks");
        assertThat(blocks.size()).isLessThanOrEqualTo(50);
        assertThat(blocks.findValues("text")).allSatisfy(t -> assertThat(t.isTextual() ? t.asText() : t.path("text").asText()).hasSizeLessThanOrEqualTo(3000));
        assertThat(blocks.toString()).contains("180 earlier steps not shown");
        assertThat(blocks.findParents("action_id")).hasSize(2 * 10); // the 10 waiting steps among the 20 shown
    }

    @Test
    void slacksControlCharactersInWhatARunSaysAreEscaped() {
        RunView run = new RunView("run_1", "<!channel> & co", "running", "policy", new WorkspaceRef("<@U1>", null, null, null), "ana", "chat",
                null, null, null, null, 1, AT, AT, List.of());
        String shown = RunMessage.of(run, URL).get("blocks").toString();
        assertThat(shown).contains("&lt;!channel&gt; &amp; co", "&lt;@U1&gt;").doesNotContain("<!channel>", "<@U1>");
    }

    private static RunView run(String state, String commit, List<StepView> steps) {
        return new RunView("run_1", "ship from Slack", state, "policy", new WorkspaceRef("yard", null, null, null), "ana", "chat", "ship",
                null, null, commit, 7, AT, AT, steps);
    }

    private static StepView step(int n, String state, DecisionView decision) {
        return new StepView(n, "change", Map.of("deploy/app.yaml", "replicas: 3\n"), Map.of(), null, null, null, null,
                "waiting".equals(state) ? "needs_approval" : "allowed", "waiting".equals(state) ? "review path deploy/**" : null, state, decision,
                null, null, AT);
    }
}
