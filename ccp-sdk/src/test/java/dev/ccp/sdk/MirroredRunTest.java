package dev.ccp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.sdk.testing.GitRepo;
import dev.ccp.spi.policy.PolicyDocument;
import dev.ccp.spi.runs.ApprovalMode;
import dev.ccp.spi.runs.Approver;
import dev.ccp.spi.runs.Decision;
import dev.ccp.spi.runs.Step;
import dev.ccp.spi.wire.DecisionRequest;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.StepView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs of a logged-in tool: mirrored to the server, whose verdicts and first decisions count. */
class MirroredRunTest extends ClientFixture {

    static final Duration LONG = Duration.ofSeconds(20);

    @TempDir
    Path workspace;

    GitRepo repo;
    CcpClient client;
    /** What the held approver was asked, and the answers it has not given yet. */
    final List<CompletableFuture<Decision>> asked = new CopyOnWriteArrayList<>();
    final Approver held = (run, step) -> {
        CompletableFuture<Decision> answer = new CompletableFuture<>();
        asked.add(answer);
        return answer;
    };

    @BeforeEach
    void loggedIn() {
        repo = GitRepo.init(workspace);
        client = client();
        login(client);
    }

    @org.junit.jupiter.api.AfterEach
    void closeClient() {
        client.close();
    }

    @Test
    void aMirroredRunReportsItsStepsProgressOutcomesAndCommit() {
        try (Run run = client.runs().start(RunOptions.of("Format", workspace).withSource("editor").withApproval(ApprovalMode.NONE))) {
            assertThat(run.mirrored()).isTrue();
            assertThat(run.id()).isEqualTo("run_1");
            assertThat(server.runs.started).singleElement().satisfies(r -> {
                assertThat(r.title()).isEqualTo("Format");
                assertThat(r.source()).isEqualTo("editor");
                assertThat(r.approval()).isEqualTo("none");
                assertThat(r.workspace().branch()).isEqualTo("main");
                assertThat(r.workspace().head()).isEqualTo(repo.head());
                assertThat(Path.of(r.workspace().root())).isEqualTo(workspace.toAbsolutePath());
            });
            run.progress("formatting", "one file");
            assertThat(run.propose(new Step.Command(List.of("sh", "-c", "echo formatted"), ".")).carryOut().state()).isEqualTo("done");
            run.propose(new Step.FileChange(Map.of("README.md", "# Demo, formatted\n"))).carryOut();

            RunView finished = run.finish();

            assertThat(finished.commit()).isEqualTo(repo.head());
        }
        assertThat(server.runs.progress).singleElement().satisfies(p -> assertThat(p.phase()).isEqualTo("formatting"));
        assertThat(server.runs.outcomes).extracting(o -> o.state() + " " + o.exitCode() + " " + o.output())
                .containsExactly("done 0 formatted\n", "done null null");
        assertThat(server.runs.finishes).singleElement().satisfies(f -> {
            assertThat(f.state()).isEqualTo("succeeded");
            assertThat(f.commit()).isEqualTo(repo.head());
        });
        RunView onServer = server.runs.run("run_1");
        assertThat(onServer.steps()).extracting(StepView::state).containsExactly("done", "done");
        assertThat(onServer.steps().get(1).before()).isEqualTo(Map.of("README.md", "# Demo\n"));
        assertThat(repo.message()).contains("Ccp-Run: run_1");
    }

    @Test
    void aDecisionOnTheWebReachesTheWaitingStepAndStopsTheLocalApprover() {
        try (Run run = client.runs().start(RunOptions.of("Review me", workspace).withApproval(ApprovalMode.ALL).withApprover(held))) {
            Proposal change = run.propose(new Step.FileChange(Map.of("x.txt", "x\n")));
            assertThat(change.view().state()).isEqualTo("waiting");
            assertThat(asked).hasSize(1);

            server.runs.decideOnTheWeb("run_1", 1, new DecisionRequest("approve", Map.of("x.txt", "better\n"), "web"), "bob@example.com");

            StepView decided = change.await(LONG).orElseThrow();
            assertThat(decided.state()).isEqualTo("ready");
            assertThat(decided.decision().by()).isEqualTo("bob@example.com");
            assertThat(decided.decision().via()).isEqualTo("web");
            assertThat(asked.get(0)).isCancelled();
            assertThat(change.carryOut().state()).isEqualTo("done");
        }
        assertThat(repo.read("x.txt")).isEqualTo("better\n");
    }

    @Test
    void aLocalDecisionAfterTheWebDecidedGetsA409AndTheFirstDecisionCounts() {
        server.runs.holdEvents = true;
        try (Run run = client.runs().start(RunOptions.of("Race", workspace).withApproval(ApprovalMode.ALL).withApprover(held))) {
            Proposal change = run.propose(new Step.FileChange(Map.of("README.md", "changed\n")));
            server.runs.decideOnTheWeb("run_1", 1, new DecisionRequest("reject", null, "web"), "bob@example.com");

            asked.get(0).complete(Decision.approve("terminal"));

            StepView decided = change.await(LONG).orElseThrow();
            assertThat(decided.state()).isEqualTo("rejected");
            assertThat(decided.decision().by()).isEqualTo("bob@example.com");
            assertThat(server.runs.decisions).containsExactly("approve 1 via terminal: 409");
            assertThatThrownBy(change::carryOut).isInstanceOf(IllegalStateException.class);
            assertThat(run.finish().commit()).isNull();
        } finally {
            server.runs.release();
        }
        assertThat(repo.read("README.md")).isEqualTo("# Demo\n");
    }

    @Test
    void aDecisionFromTheServerIsALocalEventAndALaterOneHereIsRefusedNamingIt() {
        server.runs.holdEvents = true;
        try (Run run = client.runs().start(RunOptions.of("Race", workspace).withApproval(ApprovalMode.ALL))) {
            run.propose(new Step.FileChange(Map.of("README.md", "changed\n")));
            server.runs.decideOnTheWeb("run_1", 1, new DecisionRequest("reject", null, "web"), "bob@example.com");

            assertThatThrownBy(() -> run.decide(1, Decision.approve("editor"))).isInstanceOfSatisfying(CcpException.class, e -> {
                assertThat(e.problem().orElseThrow().slug()).isEqualTo("already-decided");
                assertThat(e.getMessage()).startsWith("step 1 was already rejected by bob@example.com via web at ");
            });
            assertThat(run.events(0, Duration.ZERO).events()).filteredOn(e -> e.type().equals("decided"))
                    .singleElement().satisfies(e -> assertThat(e.message()).isEqualTo("rejected by bob@example.com via web"));
        } finally {
            server.runs.release();
        }
    }

    @Test
    void aLocalDecisionIsSentToTheServer() {
        try (Run run = client.runs().start(RunOptions.of("Mine", workspace).withApproval(ApprovalMode.ALL).withApprover(held))) {
            Proposal command = run.propose(new Step.Command(List.of("true"), "."));
            asked.get(0).complete(Decision.approve("terminal"));

            StepView decided = command.await(LONG).orElseThrow();

            assertThat(decided.decision().by()).isEqualTo("alice@example.com");
            assertThat(server.runs.decisions).containsExactly("approve 1 via terminal: 200");
            assertThat(server.runs.run("run_1").steps().get(0).state()).isEqualTo("ready");
        }
    }

    @Test
    void theServersVerdictCountsWhenItAsksForMoreThanThePolicyHere() throws Exception {
        server.runs.policy = PolicyDocument.of(Json.lenient().readTree(
                "{\"schema\":\"ccp.policy/v1\",\"review\":{\"enabled\":true,\"paths\":[\"src/**\"]}}"));
        try (Run run = client.runs().start(RunOptions.of("Src", workspace).withApproval(ApprovalMode.NONE))) {
            Proposal change = run.propose(new Step.FileChange(Map.of("src/Main.java", "class Main {}\n")));

            assertThat(change.check().verdict().name()).isEqualTo("ALLOWED");
            assertThat(change.view().state()).isEqualTo("waiting");
            assertThat(change.view().reason()).contains("review changes to src/Main.java");
            assertThat(change.ready()).isFalse();
        }
    }

    @Test
    void whenTheServerCannotBeReachedTheRunCarriesOnOnThisMachine() {
        server.close();
        try (Run run = client.runs().start(RunOptions.of("Offline", workspace).withApproval(ApprovalMode.NONE))) {
            assertThat(run.mirrored()).isFalse();
            assertThat(run.id()).startsWith("run_local_");
            run.progress("working", null);
            run.propose(new Step.FileChange(Map.of("x.txt", "x\n"))).carryOut();
            assertThat(run.finish().commit()).isEqualTo(repo.head());
        }
        assertThat(repo.message()).contains("Ccp-Run: run_local_");
    }

    @Test
    void theOrgsRunsAreReadAndDecidedOnTheServer() {
        try (Run run = client.runs().start(RunOptions.of("Listed", workspace).withApproval(ApprovalMode.ALL))) {
            run.propose(new Step.Note("hello"));
            Proposal waiting = run.propose(new Step.Command(List.of("true"), "."));

            assertThat(client.runs().list(null, 10)).extracting(RunView::id).containsExactly("run_1");
            assertThat(client.runs().get("run_1").steps()).hasSize(2);
            assertThat(client.runs().events("run_1", 0, Duration.ZERO).events()).extracting(e -> e.type())
                    .containsExactly("created", "step", "step");
            assertThat(client.runs().decide("run_1", 2, Decision.reject("terminal")).state()).isEqualTo("rejected");
            assertThatThrownBy(() -> client.runs().decide("run_1", 2, Decision.approve("terminal")))
                    .isInstanceOfSatisfying(CcpException.class, e -> assertThat(e.kind()).isEqualTo(CcpException.Kind.CONFLICT));
            assertThat(waiting.await(LONG).orElseThrow().state()).isEqualTo("rejected");
        }
    }
}
