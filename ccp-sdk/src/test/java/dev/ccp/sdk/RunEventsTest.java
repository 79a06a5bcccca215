package dev.ccp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.sdk.testing.GitRepo;
import dev.ccp.spi.runs.ApprovalMode;
import dev.ccp.spi.runs.Decision;
import dev.ccp.spi.runs.Step;
import dev.ccp.spi.wire.Problem;
import dev.ccp.spi.wire.RunEvent;
import dev.ccp.spi.wire.RunEvents;
import dev.ccp.spi.wire.StepView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's own events on this machine, and decisions that insist on being the first. */
class RunEventsTest extends ClientFixture {

    static final String ME = System.getProperty("user.name");

    @TempDir
    Path workspace;

    GitRepo repo;

    @BeforeEach
    void repository() {
        repo = GitRepo.init(workspace);
    }

    @Test
    void eventsAreNumberedFromOneInTheOrderTheyHappened() {
        try (CcpClient client = client(); Run run = client.runs().start(RunOptions.of("Notes", workspace).withApproval(ApprovalMode.NONE))) {
            run.progress("step 1 of 1", "write notes.txt");
            run.propose(new Step.FileChange(Map.of("notes.txt", "n\n"))).carryOut();
            run.finish();

            RunEvents all = run.events(0, Duration.ZERO);

            assertThat(all.events()).extracting(RunEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(all.events()).extracting(RunEvent::type)
                    .containsExactly("created", "progress", "step", "outcome", "committed", "state");
            assertThat(all.events().get(1).message()).isEqualTo("step 1 of 1: write notes.txt");
            assertThat(all.events().get(2).step()).isEqualTo(1);
            assertThat(all.events().get(4).message()).isEqualTo(repo.head());
            assertThat(all.events().get(5).state()).isEqualTo("succeeded");
            assertThat(all.next()).isEqualTo(6);
            assertThat(all.state()).isEqualTo("succeeded");
            assertThat(run.events(4, Duration.ZERO).events()).extracting(RunEvent::type).containsExactly("committed", "state");
        }
    }

    @Test
    void aWaitThatPassesAnswersNoEventsAndTheSameNext() {
        try (CcpClient client = client(); Run run = client.runs().start(RunOptions.of("Quiet", workspace))) {
            RunEvents none = run.events(1, Duration.ofMillis(1));

            assertThat(none.events()).isEmpty();
            assertThat(none.next()).isEqualTo(1);
            assertThat(none.state()).isEqualTo("running");
            assertThat(run.events(-3, Duration.ZERO).events()).extracting(RunEvent::type).containsExactly("created");
            assertThatThrownBy(() -> run.events(0, Duration.ofSeconds(61))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aReaderWaitingForEventsIsWokenByADecision() throws Exception {
        try (CcpClient client = client(); Run run = client.runs().start(RunOptions.of("Waits", workspace).withApproval(ApprovalMode.ALL))) {
            run.propose(new Step.FileChange(Map.of("x.txt", "x\n")));
            RunEvents before = run.events(0, Duration.ZERO);
            assertThat(before.events()).extracting(RunEvent::type).containsExactly("created", "step", "state");
            assertThat(before.state()).isEqualTo("waiting");
            AtomicReference<RunEvents> woken = new AtomicReference<>();
            Thread reader = new Thread(() -> woken.set(run.events(before.next(), Duration.ofSeconds(60))));
            reader.start();
            while (reader.getState() != Thread.State.TIMED_WAITING) {
                assertThat(reader.getState()).as("still waiting for an event").isNotEqualTo(Thread.State.TERMINATED);
                Thread.onSpinWait();
            }

            run.decide(1, Decision.approve("editor"));
            reader.join();

            assertThat(woken.get().events()).extracting(RunEvent::seq).startsWith(4L);
            RunEvent decided = woken.get().events().get(0);
            assertThat(decided.type()).isEqualTo("decided");
            assertThat(decided.step()).isEqualTo(1);
            assertThat(decided.state()).isEqualTo("ready");
            assertThat(decided.message()).isEqualTo("approved by " + ME + " via editor");
            assertThat(run.events(3, Duration.ZERO).events()).extracting(RunEvent::type).containsExactly("decided", "state");
            assertThat(run.events(3, Duration.ZERO).state()).isEqualTo("running");
        }
    }

    @Test
    void theFirstDecisionWinsAndALaterOneIsRefusedNamingIt() {
        try (CcpClient client = client(); Run run = client.runs().start(RunOptions.of("Twice", workspace).withApproval(ApprovalMode.ALL))) {
            run.propose(new Step.FileChange(Map.of("x.txt", "x\n")));

            StepView first = run.decide(1, Decision.approveWithEdits(Map.of("x.txt", "edited\n"), "editor"));

            assertThat(first.state()).isEqualTo("ready");
            assertThat(first.decision().decision()).isEqualTo("edit");
            assertThat(first.decision().files()).containsExactly(Map.entry("x.txt", "edited\n"));
            assertThat(run.view().steps().get(0).decision()).isEqualTo(first.decision());
            assertThatThrownBy(() -> run.decide(1, Decision.reject("terminal")))
                    .isInstanceOfSatisfying(CcpException.class, e -> {
                        assertThat(e.kind()).isEqualTo(CcpException.Kind.CONFLICT);
                        Problem problem = e.problem().orElseThrow();
                        assertThat(problem.status()).isEqualTo(409);
                        assertThat(problem.slug()).isEqualTo("already-decided");
                        assertThat(problem.detail()).startsWith("step 1 was already approved with edits by " + ME + " via editor at ")
                                .endsWith("; the first decision stands");
                    });
            assertThat(run.view().steps().get(0).state()).isEqualTo("ready");
        }
    }

    @Test
    void aStepThatDoesNotWaitOrIsNotThereIsRefused() {
        try (CcpClient client = client(); Run run = client.runs().start(RunOptions.of("Ready", workspace).withApproval(ApprovalMode.ALL))) {
            run.propose(new Step.Note("nothing to decide"));
            run.propose(new Step.Command(java.util.List.of("true"), "."));

            assertThatThrownBy(() -> run.decide(1, Decision.approve("editor"))).isInstanceOfSatisfying(CcpException.class,
                    e -> assertThat(e.problem().orElseThrow().slug()).isEqualTo("not-waiting"));
            assertThatThrownBy(() -> run.decide(3, Decision.approve("editor"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("run " + run.id() + " has no step 3; its steps are 1 to 2");
            assertThatThrownBy(() -> run.decide(2, Decision.approveWithEdits(Map.of("x.txt", "x"), "editor")))
                    .isInstanceOf(IllegalArgumentException.class);

            run.cancel("stopped");

            assertThatThrownBy(() -> run.decide(2, Decision.approve("editor"))).isInstanceOfSatisfying(CcpException.class,
                    e -> assertThat(e.problem().orElseThrow().slug()).isEqualTo("run-ended"));
        }
    }

    @Test
    void aChangeShowsItsNewContentAndWhatItsFilesHeldBefore() {
        try (CcpClient client = client(); Run run = client.runs().start(RunOptions.of("Show", workspace).withApproval(ApprovalMode.ALL))) {
            run.propose(new Step.FileChange(Map.of("README.md", "# Demo\nMore.\n", "new.txt", "new\n")));

            StepView change = run.view().steps().get(0);

            assertThat(change.files()).containsOnly(Map.entry("README.md", "# Demo\nMore.\n"), Map.entry("new.txt", "new\n"));
            assertThat(change.before()).containsOnly(Map.entry("README.md", "# Demo\n"));
            assertThat(change.diff()).contains("+More.");
        }
    }
}
