package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.sdk.CcpClient;
import dev.ccp.sdk.Proposal;
import dev.ccp.sdk.RunOptions;
import dev.ccp.sdk.testing.GitRepo;
import dev.ccp.spi.runs.ApprovalMode;
import dev.ccp.spi.runs.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The org's runs on the server, read and decided from the terminal. */
class RunsCommandTest extends CliFixture {

    @TempDir
    Path workspace;

    private CcpClient client() {
        return CcpClient.builder().home(home).server(server.uri()).clock(clock).sleeper(sleeper).build();
    }

    @Test
    void stepsAreApprovedWithEditsRejectedAndShownWithTheWholeStory() throws Exception {
        GitRepo repo = GitRepo.init(workspace);
        login();
        Path local = Files.writeString(home.resolve("mine.txt"), "mine\n");
        try (CcpClient client = client(); dev.ccp.sdk.Run run = client.runs().start(RunOptions.of("Story", workspace)
                .withApproval(ApprovalMode.ALL))) {
            Proposal change = run.propose(new Step.FileChange(Map.of("x.txt", "proposed\n")));
            Proposal command = run.propose(new Step.Command(List.of("sh", "-c", "echo hello"), "."));

            Run approved = ccp("runs", "approve", "run_1", "1", "--file", "x.txt=" + local);
            assertThat(approved.exit()).as(approved.err()).isZero();
            assertThat(approved.outLines()).containsExactly("Approved step 1 of run run_1 with edits to x.txt (now ready)");
            assertThat(ccp("runs", "reject", "run_1", "2").outLines()).containsExactly("Rejected step 2 of run run_1 (now rejected)");

            Run again = ccp("runs", "approve", "run_1", "2");
            assertThat(again.exit()).isEqualTo(9);
            assertThat(again.errLines()).containsExactly("ccp: step 2 was decided already: reject by alice@example.com via terminal");

            assertThat(change.await(Duration.ofSeconds(20)).orElseThrow().state()).isEqualTo("ready");
            change.carryOut();
            assertThat(command.await(Duration.ofSeconds(20)).orElseThrow().state()).isEqualTo("rejected");
            run.finish();
        }
        assertThat(repo.read("x.txt")).isEqualTo("mine\n");

        Run show = ccp("runs", "show", "run_1", "--diff");
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out()).contains("Run run_1: Story", "  State:     succeeded", "  Commit:    " + repo.head(),
                "on main at ", "Step 1: change x.txt — done", "  needs_approval: this run asks a person about every step",
                "  approved with edits by alice@example.com via terminal at ", "(edited: x.txt)", "+proposed",
                "Step 2: run sh -c echo hello — rejected", "  rejected by alice@example.com via terminal");

        assertThat(ccp("runs", "list").outLines()).singleElement().asString().startsWith("run_1  succeeded  ").contains("Story");
        Run follow = ccp("runs", "follow", "run_1");
        assertThat(follow.outLines()).first().asString().startsWith("1  ").contains("created");
        assertThat(follow.outLines()).last().isEqualTo("Run run_1 succeeded");
        assertThat(follow.out()).contains("decided step 1  ready  edit by alice@example.com via terminal");
    }

    @Test
    void theRunsCommandsNeedALogin() {
        Run run = ccp("runs", "list");
        assertThat(run.exit()).isEqualTo(3);
        assertThat(ccp("runs", "approve", "run_1", "1", "--file", "nonsense").exit()).isEqualTo(2);
    }
}
