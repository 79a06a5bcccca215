package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.sdk.CcpClient;
import dev.ccp.sdk.Proposal;
import dev.ccp.sdk.RunOptions;
import dev.ccp.sdk.testing.GitRepo;
import dev.ccp.spi.runs.ApprovalMode;
import dev.ccp.spi.runs.Step;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.Problem;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.StepView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ccp ide}: the bridge over the workspace's runs on the server. */
class IdeCommandTest extends CliFixture {

    @TempDir
    Path workspace;
    @TempDir
    Path runtime;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anEditorDecidesAServerRunOfThisWorkspaceThroughTheBridge() throws Exception {
        GitRepo.init(workspace);
        login();
        try (CcpClient client = CcpClient.builder().home(home).server(server.uri()).clock(clock).sleeper(sleeper).build();
                dev.ccp.sdk.Run run = client.runs().start(RunOptions.of("Docs", workspace).withApproval(ApprovalMode.ALL));
                IdeBridge bridge = IdeBridge.start(Map.of("XDG_RUNTIME_DIR", runtime.toString()), workspace, clock,
                        new IdeCommand.Server(client, client.runs().workspace(workspace)))) {
            Proposal change = run.propose(new Step.FileChange(Map.of("README.md", "# Docs\n")));
            String token = Json.lenient().readTree(bridge.discoveryFile().toFile()).path("token").asText();
            String base = "http://127.0.0.1:" + bridge.port();

            RunView[] listed = Json.lenient().readValue(get(base + "/v1/runs", token).body(), RunView[].class);
            assertThat(listed).extracting(RunView::id).containsExactly(run.id());
            RunView read = Json.lenient().readValue(get(base + "/v1/runs/" + run.id(), token).body(), RunView.class);
            assertThat(read.steps()).singleElement().satisfies(s -> assertThat(s.state()).isEqualTo("waiting"));

            HttpResponse<String> decided = post(base + "/v1/runs/" + run.id() + "/steps/1/decision", token,
                    "{\"decision\":\"approve\",\"files\":{\"README.md\":\"# Docs, edited\\n\"}}");
            assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
            assertThat(Json.lenient().readValue(decided.body(), StepView.class).decision().via()).isEqualTo("editor");
            StepView seen = change.await(Duration.ofSeconds(20)).orElseThrow();
            assertThat(seen.state()).as("the tool that carries the run out hears of it").isEqualTo("ready");
            assertThat(seen.decision().files()).containsEntry("README.md", "# Docs, edited\n");

            HttpResponse<String> again = post(base + "/v1/runs/" + run.id() + "/steps/1/decision", token, "{\"decision\":\"reject\"}");
            assertThat(again.statusCode()).isEqualTo(409);
            assertThat(Json.lenient().readValue(again.body(), Problem.class).detail()).contains("editor");
            assertThat(get(base + "/v1/runs/run_elsewhere", token).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void withoutALoginItSaysToLogIn() {
        GitRepo.init(workspace);
        Run ide = ccp("ide", "-C", workspace.toString());
        assertThat(ide.exit()).isEqualTo(ExitCodes.NOT_LOGGED_IN);
        assertThat(ide.errLines()).singleElement().asString().contains("run `ccp login` first");
    }

    private HttpResponse<String> get(String uri, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String uri, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
