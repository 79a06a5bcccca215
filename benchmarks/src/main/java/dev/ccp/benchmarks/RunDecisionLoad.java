package dev.ccp.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.spi.wire.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Decisions reaching the tool that waits for them, against a running server: for each of N steps
 * (default 1,000) the tool proposes a step that waits for a person and long-polls the run's events
 * ({@code Prefer: wait=30}, as the SDK does); a person then approves it, and the time is taken from
 * the moment the decision is sent until the tool's long poll answers with it. The baseline, in the
 * same run, is a bare round trip of the same endpoint that has something to answer at once.
 */
public final class RunDecisionLoad {

    private static final int STEPS_PER_RUN = 200;

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        ServerLoad server = new ServerLoad(opt.getOrDefault("server", "http://127.0.0.1:8080/"));
        int decisions = Integer.parseInt(opt.getOrDefault("decisions", "1000"));
        String token = server.login("runs-bench-" + System.nanoTime() + "@example.com", null);
        HttpClient tool = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

        String run = start(server, token);
        String events = "v1/runs/" + run + "/events?after=0";
        long[] bare = server.time(() -> server.getRequest(events, token), 200, 200, 1000);

        long[] took = new long[decisions];
        long after = 0;
        int steps = 0;
        for (int i = -100; i < decisions; i++) { // 100 unmeasured decisions first, to warm both sides up
            if (steps == STEPS_PER_RUN) {
                run = start(server, token);
                after = 0;
                steps = 0;
            }
            HttpResponse<String> proposed = server.postJson("v1/runs/" + run + "/steps", token, "{\"kind\":\"command\",\"argv\":[\"true\"]}");
            ServerLoad.require(proposed.statusCode() == 201, "propose answered " + proposed.statusCode() + ": " + proposed.body());
            int n = Json.lenient().readTree(proposed.body()).get("n").asInt();
            steps++;
            after = Json.lenient().readTree(server.get("v1/runs/" + run + "/events?after=" + after, token).body()).get("next").asLong();
            CompletableFuture<Long> seen = tool.sendAsync(HttpRequest.newBuilder(URI.create(server.base + "v1/runs/" + run + "/events?after=" + after))
                            .header("Authorization", "Bearer " + token).header("Prefer", "wait=30").timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).thenApply(answer -> {
                        long at = System.nanoTime();
                        ServerLoad.require(answer.body().contains("\"decided\""), "the tool's long poll answered without the decision: " + answer.body());
                        return at;
                    });
            Thread.sleep(5); // most polls are held by the time the decision comes, as a tool's would be
            long sent = System.nanoTime();
            HttpResponse<String> decided = server.postJson("v1/runs/" + run + "/steps/" + n + "/decision", token,
                    "{\"decision\":\"approve\",\"via\":\"web\"}");
            ServerLoad.require(decided.statusCode() == 200, "decision answered " + decided.statusCode() + ": " + decided.body());
            long arrived = seen.get(60, TimeUnit.SECONDS);
            if (i >= 0) {
                took[i] = arrived - sent;
            }
            JsonNode next = Json.lenient().readTree(server.get("v1/runs/" + run + "/events?after=" + after, token).body());
            after = next.get("next").asLong();
        }
        Arrays.sort(took);
        System.out.printf("decision to the waiting tool, %,d decisions one after another%n", decisions);
        System.out.printf("  p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", pct(took, 0.50), pct(took, 0.90), pct(took, 0.99),
                took[took.length - 1] / 1e6);
        System.out.printf("bare round trip of GET /v1/runs/{id}/events with events to answer (1,000 after 200 warm-up)%n");
        System.out.printf("  median %.1f ms, p95 %.1f ms%n", bare[0] / 1e6, bare[1] / 1e6);
        System.out.printf("  decision p50 is %.1f× the bare median%n", pct(took, 0.50) * 1e6 / bare[0]);
    }

    private static String start(ServerLoad server, String token) throws Exception {
        HttpResponse<String> started = server.postJson("v1/runs", token,
                "{\"title\":\"bench\",\"approval\":\"all\",\"source\":\"api\",\"workspace\":{\"name\":\"bench\"}}");
        ServerLoad.require(started.statusCode() == 201, "start answered " + started.statusCode() + ": " + started.body());
        return Json.lenient().readTree(started.body()).get("id").asText();
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p) - 1)] / 1e6;
    }
}
