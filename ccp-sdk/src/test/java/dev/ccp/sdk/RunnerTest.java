package dev.ccp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.sdk.testing.GitRepo;
import dev.ccp.spi.runs.Step;
import dev.ccp.spi.wire.DecisionRequest;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.RunnerView;
import dev.ccp.spi.wire.StepView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runners: registered by owners, claiming the runs queued for their workspace, reporting them with their own token. */
class RunnerTest extends ClientFixture {

    static final Duration LONG = Duration.ofSeconds(20);

    @TempDir
    Path workspace;

    GitRepo repo;
    CcpClient client;

    @BeforeEach
    void repository() {
        repo = GitRepo.init(workspace);
        client = client();
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    @Test
    void anOwnerRegistersListsAndRevokesRunnersAndKeepsTheTokenOwnerOnly() throws Exception {
        login(client);

        RunnerView registered = client.runs().registerRunner("demo", "build-box");
        Path file = client.runs().saveRunnerToken(registered);

        assertThat(registered.token()).startsWith("ccpr_");
        assertThat(file).isEqualTo(home.resolve("runners").resolve("demo.token"));
        assertThat(Files.readString(file).strip()).isEqualTo(registered.token());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(client.runs().runners()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("build-box");
            assertThat(r.token()).isNull();
            assertThat(r.revoked()).isFalse();
        });

        client.runs().revokeRunner(registered.id());

        assertThat(client.runs().runners()).singleElement().satisfies(r -> assertThat(r.revoked()).isTrue());
        assertThatThrownBy(() -> client.runs().saveRunnerToken(client.runs().runners().get(0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRunnerClaimsAQueuedRunAndReportsItWithItsOwnTokenUntilTheCommit() throws Exception {
        String token = server.runners.register(workspace.getFileName().toString(), "build-box").token();
        server.runners.emptyClaims = 1;
        server.runs.queue("Add notes", "all", workspace.getFileName().toString(), "notes");
        Runner runner = client.runs().runner(token, workspace);

        assertThat(runner.claim(Duration.ofSeconds(30))).isEmpty();
        Optional<Run> claimed = runner.claim(Duration.ofSeconds(30));

        assertThat(server.runners.claims).containsExactly("204 -", "200 run_1");
        assertThat(claimed).isPresent();
        try (Run run = claimed.get()) {
            assertThat(run.id()).isEqualTo("run_1");
            assertThat(run.mirrored()).isTrue();
            assertThat(run.view().recipe()).isEqualTo("notes");
            assertThat(run.view().approval()).isEqualTo("all");
            assertThat(run.view().title()).isEqualTo("Add notes");
            Proposal change = run.propose(new Step.FileChange(Map.of("notes.txt", "notes\n")));
            assertThat(change.view().state()).isEqualTo("waiting");
            assertThat(server.runners.heartbeats.poll(20, TimeUnit.SECONDS)).isEqualTo(token);

            server.runs.decideOnTheWeb("run_1", 1, new DecisionRequest("approve", null, "web"), "bob@example.com");

            assertThat(change.await(LONG)).map(StepView::state).contains("ready");
            assertThat(change.carryOut().state()).isEqualTo("done");
            assertThat(run.finish().commit()).isEqualTo(repo.head());
        }
        assertThat(repo.message()).startsWith("Add notes\n").contains("Ccp-Run: run_1");
        assertThat(server.runs.finishes).singleElement().satisfies(f -> {
            assertThat(f.state()).isEqualTo("succeeded");
            assertThat(f.commit()).isEqualTo(repo.head());
        });
        assertThat(server.runs.started).as("a claimed run is attached to, not started").isEmpty();
        List<String> runCalls = server.authorizations.stream().filter(a -> a.contains(" /v1/runs/run_1")).toList();
        assertThat(runCalls).isNotEmpty().allSatisfy(a -> assertThat(a).endsWith(" Bearer " + token));
        assertThat(runCalls).anySatisfy(a -> assertThat(a).startsWith("POST /v1/runs/run_1/steps "))
                .anySatisfy(a -> assertThat(a).startsWith("POST /v1/runs/run_1/steps/1/outcome "))
                .anySatisfy(a -> assertThat(a).startsWith("POST /v1/runs/run_1/finish "));
        assertThat(server.runs.run("run_1").steps()).extracting(StepView::state).containsExactly("done");
    }

    @Test
    void aRevokedRunnerEndsTheRunInHandHereAndItsNextClaimSaysSo() {
        RunnerView registered = server.runners.register(workspace.getFileName().toString(), "build-box");
        server.runs.queue("Wait for me", "all", workspace.getFileName().toString(), "notes");
        Runner runner = client.runs().runner(registered.token(), workspace);
        try (Run run = runner.claim(Duration.ofSeconds(30)).orElseThrow()) {
            Proposal change = run.propose(new Step.FileChange(Map.of("notes.txt", "notes\n")));
            server.runners.revoke(registered.id());

            run.progress("waiting", "for a decision");

            assertThat(runner.revoked()).isTrue();
            RunView ended = run.view();
            assertThat(ended.state()).isEqualTo("failed");
            assertThat(ended.message()).contains("revoked");
            assertThat(change.await(LONG)).isEmpty();
            assertThatThrownBy(() -> run.propose(new Step.Note("more"))).isInstanceOf(IllegalStateException.class);
        }
        assertThat(server.runs.finishes).isEmpty();
        assertThatThrownBy(() -> runner.claim(Duration.ZERO))
                .isInstanceOfSatisfying(CcpException.class, e -> assertThat(e.kind()).isEqualTo(CcpException.Kind.UNAUTHORIZED))
                .hasMessage("this runner's token was revoked or is unknown; register it again");
    }

    @Test
    void anUnknownTokenIsRefusedWithoutTryingToRenewIt() {
        Runner runner = client.runs().runner("ccpr_never_registered", workspace);

        assertThatThrownBy(() -> runner.claim(Duration.ZERO)).isInstanceOfSatisfying(CcpException.class,
                e -> assertThat(e.kind()).isEqualTo(CcpException.Kind.UNAUTHORIZED));
        assertThat(server.requests).containsExactly("POST /v1/runners/claim");
        assertThat(server.refreshes).hasValue(0);
    }

    @Test
    void aRunnerNeedsAGitWorkspaceAndOneRunAtATime(@TempDir Path elsewhere) {
        assertThatThrownBy(() -> client.runs().runner("ccpr_x", elsewhere)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.runs().runner(" ", workspace)).isInstanceOf(IllegalArgumentException.class);

        String token = server.runners.register(workspace.getFileName().toString(), "build-box").token();
        server.runs.queue("One", "none", workspace.getFileName().toString(), "one");
        Runner runner = client.runs().runner(token, workspace);
        try (Run run = runner.claim(Duration.ZERO).orElseThrow()) {
            assertThatThrownBy(() -> runner.claim(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
            run.cancel("stopped by the test");
        }
        assertThat(runner.claim(Duration.ZERO)).isEmpty();
    }
}
