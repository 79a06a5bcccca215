package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.sdk.testing.GitRepo;
import dev.ccp.spi.wire.DecisionRequest;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.RunEvents;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.StepView;
import java.io.ByteArrayInputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest extends CliFixture {

    static final String DENY_TOUCH = "{\"schema\":\"ccp.policy/v1\",\"commands\":{\"deny\":[\"touch *\"]}}";

    final Path workspace;
    final GitRepo repo;

    RunCommandTest(@TempDir Path workspace) {
        this.workspace = workspace;
        this.repo = GitRepo.init(workspace);
    }

    private void recipe(String name, String json) {
        repo.write(".ccp/recipes/" + name + ".json", json);
    }

    private Run run(String input, String... args) {
        String[] all = java.util.stream.Stream.concat(java.util.stream.Stream.of("run", "-C", workspace.toString()),
                java.util.Arrays.stream(args)).toArray(String[]::new);
        return ccp(env(), new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), all);
    }

    @Test
    void aRecipeRunsStepByStepAskingInTheTerminalAndCommitsWhatWasApproved() {
        repo.write("fix.diff", "--- a/README.md\n+++ b/README.md\n@@ -1 +1,2 @@\n # Demo\n+Patched.\n");
        recipe("tidy", "{\"title\":\"Tidy up\",\"steps\":[{\"write\":\"notes.txt\",\"content\":\"one\\n\"},{\"patch\":\"fix.diff\"},"
                + "{\"run\":[\"sh\",\"-c\",\"echo ran > ran.txt; echo said so\"]},{\"write\":\"skip.txt\",\"content\":\"no\\n\"},"
                + "{\"note\":\"done\"}]}");

        Run run = run("a\nd\na\na\nr\n", "tidy", "--approve", "all");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("Run run_local_", "Step 2/5: patch with fix.diff", "+Patched.", "said so\n",
                "Step 4/5: write skip.txt", "  rejected by ").contains("succeeded: committed " + repo.head());
        assertThat(repo.committedFiles()).containsExactly("README.md", "notes.txt");
        assertThat(repo.read("README.md")).isEqualTo("# Demo\nPatched.\n");
        assertThat(repo.message()).startsWith("Tidy up\n").contains("Ccp-Run: run_local_");
        assertThat(Files.exists(repo.path("ran.txt"))).isTrue();
        assertThat(Files.exists(repo.path("skip.txt"))).isFalse();
    }

    @Test
    void editingInTheEditorApprovesWhatWasSaved() {
        recipe("notes", "{\"title\":\"Notes\",\"steps\":[{\"write\":\"notes.txt\",\"content\":\"proposed\\n\"}]}");
        Map<String, String> env = env();
        env.put("EDITOR", "sed -i s/proposed/edited/");

        Run run = ccp(env, new ByteArrayInputStream("e\n".getBytes(StandardCharsets.UTF_8)), "run", "-C", workspace.toString(),
                "notes", "--approve", "all");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(repo.read("notes.txt")).isEqualTo("edited\n");
        assertThat(repo.committedFiles()).containsExactly("notes.txt");
    }

    @Test
    void aDeniedStepIsSkippedAndReportedAndTheRunEndsFailed() {
        login();
        server.policies.serve("prod", 1, DENY_TOUCH);
        assertThat(ccp("policy", "reload").exit()).isZero();
        recipe("mixed", "{\"title\":\"Mixed\",\"steps\":[{\"write\":\"a.txt\",\"content\":\"a\\n\"},{\"run\":[\"touch\",\"side-effect\"]},"
                + "{\"write\":\"b.txt\",\"content\":\"b\\n\"}]}");

        Run run = ccp(env(), "run", "-C", workspace.toString(), "mixed", "--approve", "none");

        assertThat(run.exit()).isEqualTo(12);
        assertThat(run.out()).contains("Run run_1: Mixed (3 steps, follow it at " + server.uri() + "/runs/run_1)",
                "  denied: the policy denies the command `touch side-effect`");
        assertThat(run.errLines()).containsExactly("ccp: step 2 denied by the policy — the run ended failed; the accepted changes"
                + " were committed as " + repo.head());
        assertThat(Files.exists(repo.path("side-effect"))).isFalse();
        assertThat(repo.committedFiles()).containsExactly("a.txt", "b.txt");
        assertThat(server.runs.finishes).singleElement().satisfies(f -> assertThat(f.state()).isEqualTo("failed"));
        assertThat(server.runs.run("run_1").steps()).extracting(StepView::state).containsExactly("done", "failed", "done");
    }

    @Test
    void aFailedStepStopsTheRunAndNothingIsCommitted() {
        recipe("stops", "{\"title\":\"Stops\",\"steps\":[{\"write\":\"a.txt\",\"content\":\"a\\n\"},{\"run\":[\"sh\",\"-c\",\"exit 4\"]},"
                + "{\"write\":\"b.txt\",\"content\":\"b\\n\"}]}");
        String head = repo.head();

        Run run = ccp(env(), "run", "-C", workspace.toString(), "stops", "--approve", "none");

        assertThat(run.exit()).isEqualTo(12);
        assertThat(run.errLines()).singleElement().asString().startsWith("ccp: step 2 failed with exit code 4 — run run_local_")
                .endsWith("later steps were not carried out, nothing was committed, and the files written so far stay in the working tree");
        assertThat(repo.head()).isEqualTo(head);
        assertThat(repo.read("a.txt")).isEqualTo("a\n");
        assertThat(Files.exists(repo.path("b.txt"))).isFalse();
    }

    @Test
    void aDecisionOnTheWebWhileTheTerminalAsksIsFollowed() throws Exception {
        login();
        recipe("web", "{\"title\":\"Web\",\"steps\":[{\"write\":\"w.txt\",\"content\":\"w\\n\"}]}");
        try (PipedOutputStream typing = new PipedOutputStream(); PipedInputStream keyboard = new PipedInputStream(typing)) {
            CompletableFuture<Run> running = CompletableFuture.supplyAsync(
                    () -> ccp(env(), keyboard, "run", "-C", workspace.toString(), "web", "--approve", "all"));
            StepView waiting = server.runs.proposed.poll(20, TimeUnit.SECONDS);
            assertThat(waiting.state()).isEqualTo("waiting");

            server.runs.decideOnTheWeb("run_1", 1, new DecisionRequest("approve", null, "web"), "bob@example.com");

            Run run = running.get(20, TimeUnit.SECONDS);
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains("approved on the web by bob@example.com");
        }
        assertThat(repo.committedFiles()).containsExactly("w.txt");
        assertThat(repo.message()).contains("Ccp-Run: run_1");
    }

    @Test
    void anEditorFindsTheRunAndApprovesAWaitingStepWithEditsThroughTheBridge(@TempDir Path runtime) throws Exception {
        recipe("notes", "{\"title\":\"Notes\",\"steps\":[{\"write\":\"notes.txt\",\"content\":\"proposed\\n\"}]}");
        Map<String, String> env = env();
        env.put("XDG_RUNTIME_DIR", runtime.toString());
        Path folder = Files.createDirectories(runtime.resolve("ccp/ide"));
        Path discovery = folder.resolve(ProcessHandle.current().pid() + ".json");
        String id;
        try (WatchService watch = folder.getFileSystem().newWatchService();
             PipedOutputStream typing = new PipedOutputStream(); PipedInputStream keyboard = new PipedInputStream(typing)) {
            folder.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            CompletableFuture<Run> running = CompletableFuture.supplyAsync(
                    () -> ccp(env, keyboard, "run", "-C", workspace.toString(), "notes", "--approve", "all"));
            while (!Files.exists(discovery)) {
                WatchKey created = watch.poll(20, TimeUnit.SECONDS);
                assertThat(created).as("a file in " + folder).isNotNull();
                created.pollEvents();
                created.reset();
            }
            JsonNode found = Json.lenient().readTree(discovery.toFile());
            assertThat(found.path("workspace").asText()).isEqualTo(workspace.toRealPath().toString());
            Editor editor = new Editor(found.path("port").asInt(), found.path("token").asText());

            id = Json.lenient().readValue(editor.get("/v1/runs", 0), RunView[].class)[0].id();
            RunEvents events = new RunEvents(List.of(), 0, "running");
            while (!"waiting".equals(events.state())) {
                assertThat(events.state()).isIn("running", "waiting");
                events = Json.lenient().readValue(editor.get("/v1/runs/" + id + "/events?after=" + events.next(), 60), RunEvents.class);
            }
            StepView waiting = Json.lenient().readValue(editor.get("/v1/runs/" + id, 0), RunView.class).steps().get(0);
            assertThat(waiting.files()).containsExactly(Map.entry("notes.txt", "proposed\n"));
            assertThat(waiting.before()).isEmpty();

            assertThat(editor.approve("/v1/runs/" + id + "/steps/1/decision", "{\"decision\":\"approve\",\"files\":{\"notes.txt\":\"edited\\n\"}}"))
                    .isEqualTo(200);

            Run run = running.get(60, TimeUnit.SECONDS);
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains("  approved with edits in the editor by ").doesNotContain("ccp-ide", "127.0.0.1");
        }
        assertThat(repo.read("notes.txt")).isEqualTo("edited\n");
        assertThat(repo.committedFiles()).containsExactly("notes.txt");
        assertThat(repo.message()).startsWith("Notes\n").contains("Ccp-Run: " + id);
        assertThat(discovery).doesNotExist();
    }

    @Test
    void noIdeServesNoBridge(@TempDir Path runtime) {
        recipe("note", "{\"title\":\"Note\",\"steps\":[{\"note\":\"hi\"}]}");
        Map<String, String> env = env();
        env.put("XDG_RUNTIME_DIR", runtime.toString());

        assertThat(ccp(env, "run", "-C", workspace.toString(), "note", "--no-ide").exit()).isZero();

        assertThat(runtime.resolve("ccp")).doesNotExist();
    }

    @Test
    void aBridgeThatCannotStartLeavesTheRunToTheTerminal(@TempDir Path runtime) throws Exception {
        recipe("note", "{\"title\":\"Note\",\"steps\":[{\"note\":\"hi\"}]}");
        Map<String, String> env = env();
        env.put("XDG_RUNTIME_DIR", Files.writeString(runtime.resolve("not-a-folder"), "").toString());

        Run run = ccp(env, "run", "-C", workspace.toString(), "note");

        assertThat(run.exit()).isZero();
        assertThat(run.errLines()).singleElement().asString().startsWith("ccp: no editor can follow this run (")
                .endsWith("); it goes on in this terminal");
        assertThat(run.out()).contains("succeeded");
    }

    /** What an editor sends: the discovery file's token to its port. */
    record Editor(int port, String token) {
        String get(String path, int waitSeconds) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + token);
            if (waitSeconds > 0) {
                request.header("Prefer", "wait=" + waitSeconds);
            }
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return response.body();
        }

        int approve(String path, String body) throws Exception {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    @Test
    void aDetachedRunIsDecidedElsewhere() throws Exception {
        login();
        recipe("away", "{\"title\":\"Away\",\"steps\":[{\"run\":[\"sh\",\"-c\",\"echo x > x.txt\"]}]}");
        CompletableFuture<Run> running = CompletableFuture.supplyAsync(
                () -> ccp(env(), "run", "-C", workspace.toString(), "away", "--approve", "all", "--detach"));
        assertThat(server.runs.proposed.poll(20, TimeUnit.SECONDS).state()).isEqualTo("waiting");

        server.runs.decideOnTheWeb("run_1", 1, new DecisionRequest("reject", null, "chat"), "bob@example.com");

        Run run = running.get(20, TimeUnit.SECONDS);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("decide it on the web, in an editor or in chat", "rejected by bob@example.com",
                "succeeded: nothing to commit");
        assertThat(Files.exists(repo.path("x.txt"))).isFalse();
    }

    @Test
    void detachingNeedsALogin() {
        recipe("away", "{\"title\":\"Away\",\"steps\":[{\"note\":\"hi\"}]}");

        Run run = ccp(env(), "run", "-C", workspace.toString(), "away", "--detach");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.errLines()).containsExactly("ccp: --detach leaves the decisions to the web, an editor or chat, which needs"
                + " a login — run `ccp login`, or leave out --detach");
    }

    @Test
    void aMissingOrBrokenRecipeRunsNothing() throws Exception {
        assertThat(ccp(env(), "run", "-C", workspace.toString(), "nope").exit()).isEqualTo(2);
        recipe("typo", "{\"title\":\"Typo\",\"steps\":[{\"rnu\":[\"make\"]}]}");

        Run run = ccp(env(), "run", "-C", workspace.toString(), "typo");

        assertThat(run.exit()).isEqualTo(9);
        assertThat(run.errLines()).singleElement().asString().isEqualTo("ccp: .ccp/recipes/typo.json: step 1 must have one of \"run\", \"write\", \"patch\" or \"note\"; nothing was run");
        Path outside = Files.createTempDirectory("not-a-repo");
        assertThat(ccp(env(), "run", "-C", outside.toString(), "typo").errLines()).singleElement().asString()
                .contains("is not inside a git repository");
        Files.delete(outside);
    }

}
