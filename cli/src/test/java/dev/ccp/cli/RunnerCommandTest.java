package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.sdk.testing.GitRepo;
import dev.ccp.spi.wire.DecisionRequest;
import dev.ccp.spi.wire.RunnerView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerCommandTest extends CliFixture {

    final Path workspace;
    final GitRepo repo;
    final String name;

    RunnerCommandTest(@TempDir Path workspace) {
        this.workspace = workspace;
        this.repo = GitRepo.init(workspace);
        this.name = workspace.getFileName().toString();
    }

    /** A runner registered on the server, its token in a file of its own. */
    private Path tokenFile(RunnerView runner) throws Exception {
        return Files.writeString(Files.createDirectories(home.resolve("elsewhere")).resolve("runner.token"), runner.token() + "\n");
    }

    @Test
    void registerKeepsTheTokenOwnerOnlyUnderTheHomeAndSaysItIsShownOnce() throws Exception {
        login();

        Run run = ccp("runner", "register", "--workspace", "demo", "--name", "build-box");

        assertThat(run.exit()).as(run.err()).isZero();
        Path file = home.resolve("runners").resolve("demo.token");
        String token = Files.readString(file).strip();
        assertThat(token).startsWith("ccpr_");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(run.outLines()).containsExactly("Registered runner rnr_1 (build-box) for workspace demo",
                "Its token is in " + file + " (readable only by you); the server shows it only once. Start it with"
                        + " `ccp runner start --workspace DIR` in a checkout of demo");
        assertThat(run.out()).doesNotContain(token);
    }

    @Test
    void printTokenPrintsOnlyTheTokenOnStdoutAndKeepsNoFile() {
        login();

        Run run = ccp("runner", "register", "--workspace", "demo", "--name", "ci", "--print-token");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.outLines()).singleElement().asString().startsWith("ccpr_");
        assertThat(run.err()).contains("Registered runner rnr_1 (ci) for workspace demo; its token, below, is shown only once");
        assertThat(home.resolve("runners")).doesNotExist();
    }

    @Test
    void listShowsTheOrgsRunnersAndRevokeStopsOne() {
        login();
        RunnerView runner = server.runners.register("demo", "build-box");

        assertThat(ccp("runner", "list").outLines()).containsExactly(runner.id() + "  demo  build-box  never seen");
        Run revoked = ccp("runner", "revoke", runner.id());

        assertThat(revoked.exit()).as(revoked.err()).isZero();
        assertThat(revoked.out()).contains("Revoked runner " + runner.id());
        assertThat(ccp("runner", "list").outLines()).containsExactly(runner.id() + "  demo  build-box  revoked");
        assertThat(ccp("runner", "revoke", "rnr_404").exit()).isEqualTo(9);
    }

    @Test
    void aMemberMayNotRegisterARunner() {
        login();
        server.adminOnly = true;

        assertThat(ccp("runner", "register", "--workspace", "demo", "--name", "x").exit()).isEqualTo(6);
    }

    @Test
    void aRunnerClaimsAQueuedRunRunsItsRecipeAndReportsItWithItsOwnToken() throws Exception {
        RunnerView runner = server.runners.register(name, "build-box");
        repo.write(".ccp/recipes/notes.json", "{\"title\":\"Add notes\",\"steps\":[{\"write\":\"notes.txt\",\"content\":\"notes\\n\"}]}");
        server.runners.emptyClaims = 1;
        server.runs.queue("Add notes", "all", name, "notes");
        Path file = tokenFile(runner);

        CompletableFuture<Run> running = CompletableFuture.supplyAsync(
                () -> ccp("runner", "start", "--workspace", workspace.toString(), "--token-file", file.toString(), "--once"));
        assertThat(server.runs.proposed.poll(20, TimeUnit.SECONDS).state()).isEqualTo("waiting");
        assertThat(server.runners.heartbeats.poll(20, TimeUnit.SECONDS)).isEqualTo(runner.token());
        server.runs.decideOnTheWeb("run_1", 1, new DecisionRequest("approve", null, "web"), "bob@example.com");
        Run run = running.get(20, TimeUnit.SECONDS);

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.outLines()).containsExactly("Runner for " + name + " (" + repo.root().toRealPath() + ") on " + server.uri()
                + ": waiting for runs", "Run run_1 started: Add notes (recipe notes)", "Run run_1 succeeded: committed " + repo.head());
        assertThat(server.runners.claims).containsExactly("204 -", "200 run_1");
        assertThat(repo.committedFiles()).containsExactly("notes.txt");
        assertThat(repo.message()).contains("Ccp-Run: run_1");
        assertThat(server.runs.started).isEmpty();
        assertThat(server.runs.finishes).singleElement().satisfies(f -> assertThat(f.commit()).isEqualTo(repo.head()));
        List<String> calls = server.authorizations.stream().filter(a -> a.contains(" /v1/run")).toList();
        assertThat(calls).contains("POST /v1/runs/run_1/steps Bearer " + runner.token(),
                "POST /v1/runs/run_1/finish Bearer " + runner.token());
        assertThat(calls).allSatisfy(a -> assertThat(a).endsWith(" Bearer " + runner.token()));
    }

    /** Queues one run and carries it out with a runner whose token is in CCP_RUNNER_TOKEN. */
    private Run once(String title, String recipe) {
        RunnerView runner = server.runners.register(name, "build-box");
        server.runs.queue(title, "none", name, recipe);
        Map<String, String> env = env();
        env.put("CCP_RUNNER_TOKEN", runner.token());
        return ccp(env, "runner", "start", "--workspace", workspace.toString(), "--once");
    }

    @Test
    void aRunWhoseRecipeIsMissingEndsFailedSayingSo() {
        Run run = once("Nothing here", "absent");

        assertThat(run.exit()).isEqualTo(12);
        assertThat(run.outLines()).contains("Run run_1 started: Nothing here (recipe absent)");
        assertThat(run.outLines().get(2)).startsWith("Run run_1 failed: no recipe .ccp/recipes/absent.json in ");
        assertThat(server.runs.finishes).singleElement().satisfies(f -> {
            assertThat(f.state()).isEqualTo("failed");
            assertThat(f.message()).startsWith("no recipe .ccp/recipes/absent.json");
        });
    }

    @Test
    void aRecipeNameThatLeavesTheRecipesFolderIsRefused() {
        Run run = once("Escape", "../../README");

        assertThat(run.exit()).isEqualTo(12);
        assertThat(server.runs.finishes).singleElement().satisfies(f -> assertThat(f.message()).contains("is not a recipe name"));
    }

    @Test
    void aRevokedTokenEndsTheRunnerWithExit13() throws Exception {
        RunnerView runner = server.runners.register(name, "build-box");
        server.runners.revoke(runner.id());

        Run run = ccp("runner", "start", "--workspace", workspace.toString(), "--token-file", tokenFile(runner).toString());

        assertThat(run.exit()).isEqualTo(13);
        assertThat(run.errLines()).containsExactly("ccp: this runner's token was revoked or is unknown — register it again with"
                + " `ccp runner register --workspace NAME`");
    }

    @Test
    void withoutATokenTheRunnerSaysWhereItLooked() {
        Run run = ccp("runner", "start", "--workspace", workspace.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString().startsWith("ccp: no runner token in "
                + home.resolve("runners").resolve(name + ".token"));
    }
}
