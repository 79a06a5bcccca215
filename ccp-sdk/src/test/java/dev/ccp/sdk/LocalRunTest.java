package dev.ccp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.sdk.testing.GitRepo;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.license.LicenseVectors;
import dev.ccp.spi.policy.PolicyVectors;
import dev.ccp.spi.runs.ApprovalMode;
import dev.ccp.spi.runs.Decision;
import dev.ccp.spi.runs.Step;
import dev.ccp.spi.wire.StepView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs of a tool that is not logged in: checked, decided and committed on this machine alone. */
class LocalRunTest extends ClientFixture {

    static final Duration LONG = Duration.ofSeconds(20);

    @TempDir
    Path workspace;

    GitRepo repo;

    @BeforeEach
    void repository() {
        repo = GitRepo.init(workspace);
    }

    private Run start(CcpClient client, RunOptions options) {
        return client.runs().start(options);
    }

    @Test
    void anAllowedChangeIsWrittenAndCommittedWithTheRunTrailer() {
        try (CcpClient client = client(); Run run = start(client, RunOptions.of("Add the guide", workspace.resolve("."))
                .withApproval(ApprovalMode.NONE))) {
            assertThat(run.mirrored()).isFalse();
            assertThat(run.id()).startsWith("run_local_");
            assertThat(run.workspace().branch()).isEqualTo("main");
            assertThat(run.workspace().head()).isEqualTo(repo.head());

            Proposal change = run.propose(new Step.FileChange(Map.of("README.md", "# Demo\n\nMore.\n", "docs/guide.md", "Guide\n")));
            assertThat(change.view().state()).isEqualTo("ready");
            assertThat(change.view().diff()).contains("+More.").contains("new file");
            assertThat(change.carryOut().state()).isEqualTo("done");
            String first = repo.head();

            var finished = run.finish();

            assertThat(finished.state()).isEqualTo("succeeded");
            assertThat(finished.commit()).isEqualTo(repo.head()).isNotEqualTo(first);
            assertThat(repo.committedFiles()).containsExactly("README.md", "docs/guide.md");
            assertThat(repo.message()).startsWith("Add the guide\n").contains("\nCcp-Run: " + run.id() + "\n");
            assertThat(repo.read("docs/guide.md")).isEqualTo("Guide\n");
        }
    }

    @Test
    void onlyApprovedChangesAreCommittedAndWhatThePersonStagedStaysStaged() {
        repo.write("staged.txt", "mine\n");
        repo.git("add", "staged.txt");
        Approver approver = new Approver(step -> step.files().containsKey("yes.txt") ? Decision.approve("terminal") : Decision.reject("terminal"));
        try (CcpClient client = client(); Run run = start(client, RunOptions.of("Two changes", workspace)
                .withApproval(ApprovalMode.ALL).withApprover(approver))) {
            Proposal yes = run.propose(new Step.FileChange(Map.of("yes.txt", "approved\n")));
            Proposal no = run.propose(new Step.FileChange(Map.of("no.txt", "rejected\n")));

            StepView approved = yes.await(LONG).orElseThrow();
            assertThat(approved.state()).isEqualTo("ready");
            assertThat(approved.decision().decision()).isEqualTo("approve");
            assertThat(approved.decision().via()).isEqualTo("terminal");
            assertThat(no.await(LONG).orElseThrow().state()).isEqualTo("rejected");
            yes.carryOut();
            assertThatThrownBy(no::carryOut).isInstanceOf(IllegalStateException.class).hasMessageContaining("rejected");

            run.finish();
        }
        assertThat(repo.committedFiles()).containsExactly("yes.txt");
        assertThat(Files.exists(repo.path("no.txt"))).isFalse();
        assertThat(repo.git("diff", "--cached", "--name-only")).isEqualTo("staged.txt\n");
    }

    @Test
    void approvalWithEditsWritesTheEditedContent() {
        Approver approver = new Approver(step -> Decision.approveWithEdits(Map.of("notes.txt", "edited\n"), "editor"));
        try (CcpClient client = client(); Run run = start(client, RunOptions.of("Notes", workspace)
                .withApproval(ApprovalMode.ALL).withApprover(approver))) {
            Proposal change = run.propose(new Step.FileChange(Map.of("notes.txt", "proposed\n")));
            StepView decided = change.await(LONG).orElseThrow();
            assertThat(decided.decision().decision()).isEqualTo("edit");
            change.carryOut();
        }
        assertThat(repo.read("notes.txt")).isEqualTo("edited\n");
    }

    @Test
    void aFailedWriteRollsBackTheFilesItWrote() {
        repo.write("A.txt", "old\n");
        try (CcpClient client = client(); Run run = start(client, RunOptions.of("Broken", workspace).withApproval(ApprovalMode.NONE))) {
            // README.md is a file, so nothing can be written below it: the third write fails after the first two.
            Proposal change = run.propose(new Step.FileChange(Map.of("A.txt", "new\n", "B/new.txt", "b\n", "README.md/child.txt", "c\n")));

            StepView failed = change.carryOut();

            assertThat(failed.state()).isEqualTo("failed");
            assertThat(failed.output()).isNotBlank();
            assertThat(run.finish().commit()).isNull();
        }
        assertThat(repo.read("A.txt")).isEqualTo("old\n");
        assertThat(Files.exists(repo.path("B"))).isFalse();
        assertThat(repo.committedFiles()).containsExactly("README.md");
    }

    @Test
    void aChangeNeverOverwritesWhatWasWrittenAfterItWasProposed() {
        try (CcpClient client = client(); Run run = start(client, RunOptions.of("Late", workspace).withApproval(ApprovalMode.NONE))) {
            Proposal change = run.propose(new Step.FileChange(Map.of("README.md", "from the run\n")));
            repo.write("README.md", "from the person\n");

            StepView failed = change.carryOut();

            assertThat(failed.state()).isEqualTo("failed");
            assertThat(failed.output()).isEqualTo("README.md changed since the step was proposed");
        }
        assertThat(repo.read("README.md")).isEqualTo("from the person\n");
    }

    @Test
    void aDeniedCommandNeverRunsAndAFailingOneKeepsItsExitCodeAndOutput() {
        String pack = server.policies.sign("acme", "prod", 1, "{\"schema\":\"ccp.policy/v1\",\"commands\":{\"deny\":[\"touch *\"]}}",
                clock.instant());
        try (CcpClient client = builder().trustedKeys(KeyRing.of(LicenseVectors.KEY, PolicyVectors.KEY).toPublicJwks())
                .policyBootstrap(pack).build();
             Run run = start(client, RunOptions.of("Commands", workspace).withApproval(ApprovalMode.NONE))) {
            Proposal denied = run.propose(new Step.Command(List.of("touch", "side-effect"), "."));
            assertThat(denied.view().state()).isEqualTo("denied");
            assertThat(denied.await(LONG).orElseThrow().reason()).isEqualTo("the policy denies the command `touch side-effect`");
            assertThatThrownBy(denied::carryOut).isInstanceOf(IllegalStateException.class);

            StepView failed = run.propose(new Step.Command(List.of("sh", "-c", "echo to the end; exit 3"), ".")).carryOut();
            assertThat(failed.state()).isEqualTo("failed");
            assertThat(failed.exitCode()).isEqualTo(3);
            assertThat(failed.output()).isEqualTo("to the end\n");

            StepView missing = run.propose(new Step.Command(List.of("no-such-program-here"), ".")).carryOut();
            assertThat(missing.state()).isEqualTo("failed");
            assertThat(missing.exitCode()).isNull();
            assertThat(missing.output()).startsWith("cannot start no-such-program-here");
        }
        assertThat(Files.exists(repo.path("side-effect"))).isFalse();
    }

    @Test
    void aCommandRunsInItsFolderAndIsStoppedAtTheTimeout() throws Exception {
        Files.createDirectories(repo.path("sub"));
        try (CcpClient client = client(); Run run = start(client, RunOptions.of("Slow", workspace).withApproval(ApprovalMode.NONE)
                .withCommandTimeout(Duration.ofMillis(300)))) {
            StepView here = run.propose(new Step.Command(List.of("sh", "-c", "pwd > where.txt"), "sub")).carryOut();
            assertThat(here.state()).isEqualTo("done");
            assertThat(here.exitCode()).isZero();

            StepView slow = run.propose(new Step.Command(List.of("sleep", "60"), ".")).carryOut();
            assertThat(slow.state()).isEqualTo("failed");
            assertThat(slow.exitCode()).isNull();
            assertThat(slow.output()).contains("stopped after");
        }
        assertThat(Path.of(repo.read("sub/where.txt").strip()).toRealPath()).isEqualTo(repo.path("sub").toRealPath());
    }

    @Test
    void aStepNobodyDecidesWaitsUntilTheHostDecidesIt() {
        try (CcpClient client = client(); Run run = start(client, RunOptions.of("Waits", workspace).withApproval(ApprovalMode.ALL))) {
            Proposal note = run.propose(new Step.Note("a note changes nothing"));
            assertThat(note.view().state()).isEqualTo("ready");
            Proposal change = run.propose(new Step.FileChange(Map.of("x.txt", "x\n")));
            assertThat(run.view().state()).isEqualTo("waiting");
            assertThat(change.await(Duration.ofMillis(10))).isEmpty();
            CompletableFuture<StepView> decision = change.decision();

            StepView decided = change.decide(Decision.approve("api"));

            assertThat(decided.state()).isEqualTo("ready");
            assertThat(decision.join()).isEqualTo(decided);
            assertThat(change.decide(Decision.reject("api")).state()).as("the first decision wins").isEqualTo("ready");
            assertThatThrownBy(() -> change.decide(Decision.approveWithEdits(Map.of("other.txt", "y"), "api")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void whenEveryApproverAbstainsALocalStepIsNotCarriedOut() {
        try (CcpClient client = client(); Run run = start(client, RunOptions.of("Nobody", workspace).withApproval(ApprovalMode.ALL)
                .withApprover((r, s) -> CompletableFuture.completedFuture(null)))) {
            Proposal change = run.propose(new Step.FileChange(Map.of("x.txt", "x\n")));
            assertThat(change.await(LONG).orElseThrow().state()).isEqualTo("rejected");
            assertThat(change.ready()).isFalse();
        }
    }

    @Test
    void aFolderOutsideAnyRepositoryIsRefused(@TempDir Path elsewhere) {
        try (CcpClient client = client()) {
            assertThatThrownBy(() -> start(client, RunOptions.of("Nowhere", elsewhere)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not inside a git repository");
        }
    }

    /** Answers every step at once, as a function of it decides. */
    static final class Approver implements dev.ccp.spi.runs.Approver {
        private final java.util.function.Function<StepView, Decision> answer;

        Approver(java.util.function.Function<StepView, Decision> answer) {
            this.answer = answer;
        }

        @Override
        public CompletableFuture<Decision> ask(dev.ccp.spi.wire.RunView run, StepView step) {
            return CompletableFuture.completedFuture(answer.apply(step));
        }
    }
}
