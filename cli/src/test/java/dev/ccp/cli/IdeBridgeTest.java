package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.sdk.CcpClient;
import dev.ccp.sdk.RunOptions;
import dev.ccp.sdk.testing.GitRepo;
import dev.ccp.spi.runs.ApprovalMode;
import dev.ccp.spi.runs.Step;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.Problem;
import dev.ccp.spi.wire.RunEvent;
import dev.ccp.spi.wire.RunEvents;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.StepView;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The editor bridge, over real HTTP on the loopback interface. */
class IdeBridgeTest extends CliFixture {

    @TempDir
    Path workspace;
    @TempDir
    Path runtime;

    GitRepo repo;
    CcpClient client;
    dev.ccp.sdk.Run run;
    IdeBridge bridge;
    String token;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void serveARunThatWaits() throws Exception {
        repo = GitRepo.init(workspace);
        client = CcpClient.builder().home(home).usageHome(home).clock(clock).sleeper(sleeper).build();
        run = client.runs().start(RunOptions.of("Notes", workspace).withApproval(ApprovalMode.ALL));
        run.propose(new Step.FileChange(Map.of("README.md", "# Demo\nMore.\n")));
        bridge = IdeBridge.start(Map.of("XDG_RUNTIME_DIR", runtime.toString()), workspace, clock, run);
        token = Json.lenient().readTree(bridge.discoveryFile().toFile()).path("token").asText();
    }

    @AfterEach
    void stop() {
        bridge.close();
        run.close();
        client.close();
    }

    @Test
    void theDiscoveryFileSaysWhereTheBridgeIsAndOnlyTheUserMayReadIt() throws Exception {
        Path folder = runtime.resolve("ccp/ide");
        Path file = bridge.discoveryFile();
        JsonNode entry = Json.lenient().readTree(file.toFile());

        assertThat(file).isEqualTo(folder.resolve(ProcessHandle.current().pid() + ".json"));
        assertThat(entry.path("version").asInt()).isEqualTo(1);
        assertThat(entry.path("ccp").asText()).isNotBlank().doesNotStartWith("ccp ");
        assertThat(entry.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(entry.path("port").asInt()).isEqualTo(bridge.port());
        assertThat(entry.path("token").asText()).matches("[A-Za-z0-9_-]{43}");
        assertThat(entry.path("workspace").asText()).isEqualTo(workspace.toRealPath().toString());
        assertThat(entry.path("started_at").asText()).isEqualTo(clock.instant().toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.getParent()))).isEqualTo("rwx------");
        assertThat(Files.list(folder)).containsExactly(file);

        bridge.close();

        assertThat(file).doesNotExist();
    }

    @Test
    void withoutARuntimeFolderTheFileIsInAFolderOfTheUserInTheTemporaryFolder(@TempDir Path tmp) throws Exception {
        bridge.close();

        bridge = IdeBridge.start(Map.of("TMPDIR", tmp.toString()), workspace, clock, run);

        Path folder = tmp.resolve("ccp-" + System.getProperty("user.name"));
        assertThat(bridge.discoveryFile()).isEqualTo(folder.resolve("ide/" + ProcessHandle.current().pid() + ".json")).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
    }

    @Test
    void theFilesOfEndedProcessesAreRemovedWhenABridgeStarts() throws Exception {
        Path folder = bridge.discoveryFile().getParent();
        bridge.close();
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path stale = Files.writeString(folder.resolve(ended.pid() + ".json"), "{}");
        Path alive = Files.writeString(folder.resolve(ProcessHandle.current().parent().orElseThrow().pid() + ".json"), "{}");
        Path other = Files.writeString(folder.resolve("notes.json"), "{}");

        bridge = IdeBridge.start(Map.of("XDG_RUNTIME_DIR", runtime.toString()), workspace, clock, run);

        assertThat(stale).doesNotExist();
        assertThat(alive).exists();
        assertThat(other).exists();
        assertThat(bridge.discoveryFile()).exists();
    }

    @Test
    void aRequestWithoutTheTokenOrWithAnotherOneIsRefused() throws Exception {
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(uri("/v1/runs")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrong = send(request("/v1/runs", (token.charAt(0) == 'A' ? "B" : "A") + token.substring(1)));

        for (HttpResponse<String> refused : List.of(none, wrong)) {
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
            assertThat(problem(refused).slug()).isEqualTo("unauthorized");
            assertThat(refused.body()).doesNotContain("Exception", "java.", "dev.ccp");
        }
        assertThat(send(request("/v1/runs", token)).statusCode()).isEqualTo(200);
    }

    @Test
    void aRequestFromAWebPageIsRefusedEvenWithTheToken() throws Exception {
        HttpResponse<String> refused = send(request("/v1/runs", token).header("Origin", "https://evil.example"));

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(problem(refused).detail()).isEqualTo("ccp's editor bridge does not answer web pages");
    }

    @Test
    void aRequestForAnotherHostIsRefusedAsDnsRebinding() throws Exception {
        assertThat(raw("evil.example:" + bridge.port())).startsWith("HTTP/1.1 403 ").contains(Problem.MEDIA_TYPE);
        assertThat(raw("127.0.0.1")).startsWith("HTTP/1.1 403 ");
        assertThat(raw("localhost:" + bridge.port())).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void theRunIsListedWithoutStepsAndServedWithTheOldAndNewContentOfEachChange() throws Exception {
        HttpResponse<String> listed = send(request("/v1/runs", token));
        HttpResponse<String> one = send(request("/v1/runs/" + run.id(), token));

        RunView[] runs = Json.lenient().readValue(listed.body(), RunView[].class);
        assertThat(runs).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(run.id());
            assertThat(r.state()).isEqualTo("waiting");
            assertThat(r.steps()).isNull();
        });
        assertThat(one.headers().firstValue("Content-Type")).hasValue("application/json");
        StepView change = Json.lenient().readValue(one.body(), RunView.class).steps().get(0);
        assertThat(change.files()).containsExactly(Map.entry("README.md", "# Demo\nMore.\n"));
        assertThat(change.before()).containsExactly(Map.entry("README.md", "# Demo\n"));
        assertThat(change.diff()).contains("+More.");
    }

    @Test
    void unknownRunsStepsAndCallsAre404AndOtherMethods405() throws Exception {
        assertThat(send(request("/v1/runs/run_nope", token)).statusCode()).isEqualTo(404);
        assertThat(send(request("/v1/runs/run_nope/events", token)).statusCode()).isEqualTo(404);
        assertThat(send(decision(9, "{\"decision\":\"approve\"}")).statusCode()).isEqualTo(404);
        assertThat(send(decision(0, "{\"decision\":\"approve\"}")).statusCode()).isEqualTo(404);
        assertThat(send(request("/v1/elsewhere", token)).statusCode()).isEqualTo(404);
        HttpResponse<String> delete = send(request("/v1/runs/" + run.id(), token).DELETE());
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("Allow")).hasValue("GET");
        assertThat(send(request("/v1/runs/" + run.id() + "/steps/1/decision", token)).statusCode()).as("GET a decision").isEqualTo(405);
    }

    @Test
    void aDecisionThatIsNotStrictJsonIsRefusedAndDecidesNothing() throws Exception {
        for (String body : List.of("", "{", "{\"decision\":\"approve\"} {}", "{\"decision\":\"approve\",\"extra\":1}",
                "{\"decision\":\"approve\",\"decision\":\"reject\"}", "{\"decision\":\"maybe\"}", "{\"decision\":7}",
                "{\"files\":{\"README.md\":\"x\"}}", "{\"decision\":\"reject\",\"files\":{\"README.md\":\"x\"}}",
                "{\"decision\":\"approve\",\"files\":{\"other.txt\":\"x\"}}", "{\"decision\":\"approve\",\"files\":{\"README.md\":null}}")) {
            HttpResponse<String> refused = send(decision(1, body));
            assertThat(refused.statusCode()).as(body).isEqualTo(400);
            assertThat(problem(refused).detail()).as(body).doesNotContain("Exception", "java.", "com.fasterxml");
        }
        assertThat(run.view().steps().get(0).state()).isEqualTo("waiting");
        assertThat(send(decision(1, "x".repeat(IdeBridge.MOST_BODY + 1))).statusCode()).isEqualTo(413);
    }

    @Test
    void theFirstDecisionWinsViaTheEditorAndALaterOneIsAConflictNamingIt() throws Exception {
        HttpResponse<String> first = send(decision(1, "{\"decision\":\"approve\",\"files\":{\"README.md\":\"# Edited\\n\"},\"via\":\"web\"}"));
        HttpResponse<String> second = send(decision(1, "{\"decision\":\"reject\"}"));

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        StepView decided = Json.lenient().readValue(first.body(), StepView.class);
        assertThat(decided.state()).isEqualTo("ready");
        assertThat(decided.decision().decision()).isEqualTo("edit");
        assertThat(decided.decision().via()).isEqualTo("editor");
        assertThat(decided.decision().files()).containsExactly(Map.entry("README.md", "# Edited\n"));
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(problem(second).slug()).isEqualTo("already-decided");
        assertThat(problem(second).detail()).startsWith("step 1 was already approved with edits by ").contains(" via editor at ");
    }

    @Test
    void aLongPollIsHeldUntilADecisionWakesIt() throws Exception {
        long after = Json.lenient().readValue(send(request("/v1/runs/" + run.id() + "/events?after=0", token)).body(), RunEvents.class).next();
        CompletableFuture<HttpResponse<String>> poll = http.sendAsync(request("/v1/runs/" + run.id() + "/events?after=" + after, token)
                .header("Prefer", "wait=60").build(), HttpResponse.BodyHandlers.ofString());
        while (!aBridgeThreadWaitsForEvents()) {
            assertThat(poll).as("held, with nothing to answer yet").isNotDone();
            Thread.onSpinWait();
        }

        assertThat(send(decision(1, "{\"decision\":\"reject\"}")).statusCode()).isEqualTo(200);

        RunEvents woken = Json.lenient().readValue(poll.get().body(), RunEvents.class);
        assertThat(woken.events()).extracting(RunEvent::type).startsWith("decided");
        assertThat(woken.events().get(0).seq()).isEqualTo(after + 1);
        assertThat(woken.events().get(0).message()).endsWith(" via editor").startsWith("rejected by ");
        assertThat(woken.next()).isEqualTo(woken.events().get(woken.events().size() - 1).seq());
    }

    @Test
    void aBadAfterIsRefused() throws Exception {
        assertThat(send(request("/v1/runs/" + run.id() + "/events?after=x", token)).statusCode()).isEqualTo(400);
    }

    private static boolean aBridgeThreadWaitsForEvents() {
        return Thread.getAllStackTraces().entrySet().stream().anyMatch(e -> e.getKey().getName().startsWith("ccp-ide-")
                && e.getKey().getState() == Thread.State.TIMED_WAITING
                && java.util.Arrays.stream(e.getValue()).anyMatch(frame -> frame.getClassName().endsWith("RunEventLog")));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + bridge.port() + path);
    }

    private HttpRequest.Builder request(String path, String bearer) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + bearer);
    }

    private HttpRequest.Builder decision(int n, String body) {
        return request("/v1/runs/" + run.id() + "/steps/" + n + "/decision", token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Problem problem(HttpResponse<String> response) throws IOException {
        return Json.lenient().readValue(response.body(), Problem.class);
    }

    /** A request with the token and this {@code Host}, which the JDK's client will not send. */
    private String raw(String host) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), bridge.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /v1/runs HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + token
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
