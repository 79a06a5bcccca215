package dev.ccp.sdk.testing;

import com.sun.net.httpserver.HttpExchange;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.Problem;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.RunnerRequest;
import dev.ccp.spi.wire.RunnerView;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runners endpoints of {@link FakeCcpServer}, as {@code docs/runs.md} describes them: owners and
 * admins register, list and revoke runners; a runner's token ({@code ccpr_…}) claims the queued runs
 * of its workspace, beats, and reports the run it claimed, and nothing else. A revoked or unknown
 * runner token is answered 401.
 */
public final class FakeRunners {

    private final FakeCcpServer server;
    private final FakeRuns runs;
    private final Clock clock;
    private final AtomicInteger counter = new AtomicInteger();
    private final Map<String, RunnerView> byToken = new ConcurrentHashMap<>();
    /** The run each runner claimed last, by token. */
    private final Map<String, String> claimed = new ConcurrentHashMap<>();

    /** Claims answered 204 at once, before queued runs are handed out: as if they were queued a moment later. */
    public volatile int emptyClaims;
    /** Every claim, as {@code status run}: {@code 204 -} or {@code 200 run_1}. */
    public final List<String> claims = new CopyOnWriteArrayList<>();
    /** The token of every heartbeat, in order, for a test to wait on. */
    public final BlockingQueue<String> heartbeats = new LinkedBlockingQueue<>();

    FakeRunners(FakeCcpServer server, FakeRuns runs, Clock clock) {
        this.server = server;
        this.runs = runs;
        this.clock = clock;
    }

    /** Registers a runner as an owner would; answers it with its token. */
    public RunnerView register(String workspace, String name) {
        String token = "ccpr_" + counter.incrementAndGet() + "_secret";
        RunnerView runner = new RunnerView("rnr_" + counter.get(), workspace, name, clock.instant(), server.login, null, false, token);
        byToken.put(token, runner);
        return runner;
    }

    /** Revokes a runner: its token is answered 401 from now on. */
    public boolean revoke(String id) {
        for (Map.Entry<String, RunnerView> e : byToken.entrySet()) {
            RunnerView r = e.getValue();
            if (r.id().equals(id) && !r.revoked()) {
                e.setValue(new RunnerView(r.id(), r.workspace(), r.name(), r.createdAt(), r.createdBy(), r.lastSeenAt(), true, r.token()));
                return true;
            }
        }
        return false;
    }

    public List<RunnerView> list() {
        List<RunnerView> all = new ArrayList<>();
        byToken.values().forEach(r -> all.add(new RunnerView(r.id(), r.workspace(), r.name(), r.createdAt(), r.createdBy(),
                r.lastSeenAt(), r.revoked(), null)));
        all.sort((a, b) -> a.id().compareTo(b.id()));
        return all;
    }

    /** Answers a call made with a runner's token; false when {@code token} is not one. */
    boolean asRunner(HttpExchange exchange, String method, String path, String token) throws IOException {
        if (token == null || !token.startsWith("ccpr_")) {
            return false;
        }
        RunnerView runner = byToken.get(token);
        if (runner == null || runner.revoked()) {
            FakeCcpServer.problem(exchange, Problem.of(401, "unauthorized", "Unauthorized", "the runner token is unknown or revoked"));
            return true;
        }
        byToken.put(token, new RunnerView(runner.id(), runner.workspace(), runner.name(), runner.createdAt(), runner.createdBy(),
                clock.instant(), false, runner.token()));
        String run = claimed.get(token);
        if (method.equals("POST") && path.equals("/v1/runners/claim")) {
            claim(exchange, token, runner);
        } else if (method.equals("POST") && path.equals("/v1/runners/heartbeat")) {
            heartbeats.add(token);
            FakeCcpServer.send(exchange, 204, null, null);
        } else if (run != null && path.startsWith("/v1/runs/" + run) && !path.endsWith("/decision")
                && (path.length() == ("/v1/runs/" + run).length() || path.charAt(("/v1/runs/" + run).length()) == '/')) {
            runs.handle(exchange, method, path);
        } else {
            FakeCcpServer.problem(exchange, Problem.of(403, "forbidden", "Forbidden", "a runner may not " + method + " " + path));
        }
        return true;
    }

    private void claim(HttpExchange exchange, String token, RunnerView runner) throws IOException {
        if (emptyClaims > 0) {
            emptyClaims--;
            claims.add("204 -");
            FakeCcpServer.send(exchange, 204, null, null);
            return;
        }
        String prefer = exchange.getRequestHeaders().getFirst("Prefer");
        RunView run = runs.claim(runner.workspace(), prefer == null ? 0 : Long.parseLong(prefer.replace("wait=", "").strip()));
        claims.add(run == null ? "204 -" : "200 " + run.id());
        if (run == null) {
            FakeCcpServer.send(exchange, 204, null, null);
            return;
        }
        claimed.put(token, run.id());
        FakeCcpServer.json(exchange, 200, run);
    }

    /** Answers the owners' and admins' calls; false when {@code path} is not theirs. */
    boolean handle(HttpExchange exchange, String method, String path) throws IOException {
        if (!path.equals("/v1/runners") && !path.startsWith("/v1/runners/")) {
            return false;
        }
        if (server.adminOnly) {
            FakeCcpServer.problem(exchange, Problem.of(403, "forbidden", "Forbidden", "only owners and admins manage runners"));
        } else if (method.equals("POST") && path.equals("/v1/runners")) {
            RunnerRequest request = Json.strict().readValue(exchange.getRequestBody(), RunnerRequest.class);
            FakeCcpServer.json(exchange, 201, register(request.workspace(), request.name()));
        } else if (method.equals("GET") && path.equals("/v1/runners")) {
            FakeCcpServer.json(exchange, 200, list());
        } else if (method.equals("DELETE") && revoke(path.substring("/v1/runners/".length()))) {
            FakeCcpServer.send(exchange, 204, null, null);
        } else {
            FakeCcpServer.problem(exchange, Problem.of(404, "not-found", "Not found", "no runner " + path));
        }
        return true;
    }
}
