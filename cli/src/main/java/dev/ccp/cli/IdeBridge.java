package dev.ccp.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.Run;
import dev.ccp.spi.runs.Decision;
import dev.ccp.spi.wire.DecisionRequest;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.Problem;
import dev.ccp.spi.wire.RunEvents;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.StepView;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The editor bridge (docs/ide-protocol.md): the runs this {@code ccp} carries out, served on the
 * loopback interface to the editors of this user, who find its port and token in a discovery file.
 * It answers only requests with the token, without an {@code Origin} (a web page) and with a
 * {@code Host} of the loopback (DNS rebinding), so no page in a browser can read or decide a run.
 */
final class IdeBridge implements AutoCloseable {

    static final int MOST_BODY = 2 * 1024 * 1024;
    /** Long polls hold a thread each; a few editors with a poll each, and room for the other calls. */
    private static final int THREADS = 8;
    private static final Pattern RUN = Pattern.compile("/v1/runs/([A-Za-z0-9_.-]{1,100})(/events|/steps/([0-9]{1,9})/decision)?");
    private static final Pattern WAIT = Pattern.compile("(?:^|[,;\\s])wait\\s*=\\s*\"?([0-9]{1,9})\"?");
    private static final Pattern AFTER = Pattern.compile("(?:^|&)after=(-?[0-9]{1,18})(?:&|$)");

    private final HttpServer server;
    private final ExecutorService threads;
    private final String token;
    private final Path discovery;
    private final Thread cleanup;
    private final Source source;

    /**
     * What the bridge serves: the run this {@code ccp} carries out, or (for {@code ccp ide}) the
     * workspace's runs on the server. Refusals come as {@link CcpException}s with their problem.
     */
    interface Source {
        /** Newest first, without steps. */
        List<RunView> list();

        RunView view(String id);

        RunEvents events(String id, long after, Duration wait);

        StepView decide(String id, int n, Decision decision);
    }

    private IdeBridge(HttpServer server, ExecutorService threads, String token, Path discovery, Source source) {
        this.source = source;
        this.server = server;
        this.threads = threads;
        this.token = token;
        this.discovery = discovery;
        this.cleanup = new Thread(this::removeDiscovery, "ccp-ide-cleanup");
    }

    /**
     * Serves {@code run}, carried out in the git workspace {@code root}, and writes the bridge's
     * discovery file where {@code env} says ({@code $XDG_RUNTIME_DIR/ccp/ide}, else the temporary folder).
     */
    static IdeBridge start(Map<String, String> env, Path root, Clock clock, Run run) throws IOException {
        return start(env, root, clock, new Local(run));
    }

    /** Serves {@code source} for the git workspace {@code root}, as {@link #start(Map, Path, Clock, Run)} does. */
    static IdeBridge start(Map<String, String> env, Path root, Clock clock, Source source) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger count = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "ccp-ide-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        long pid = ProcessHandle.current().pid();
        IdeBridge bridge = new IdeBridge(server, threads, token, IdeDiscovery.file(env, pid), source);
        server.createContext("/", bridge::handle);
        server.start();
        Runtime.getRuntime().addShutdownHook(bridge.cleanup);
        try {
            IdeDiscovery.write(bridge.discovery, new IdeDiscovery.Entry(1, version(), pid, bridge.port(), token,
                    root.toRealPath().toString(), clock.instant()));
        } catch (IOException | RuntimeException e) {
            bridge.close();
            throw e;
        }
        return bridge;
    }

    int port() {
        return server.getAddress().getPort();
    }

    Path discoveryFile() {
        return discovery;
    }

    /** Stops answering, ends the long polls in flight and removes the discovery file. Never throws. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        removeDiscovery();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs, or ran, and removes the file itself
        }
    }

    private void removeDiscovery() {
        try {
            Files.deleteIfExists(discovery);
        } catch (IOException e) {
            // An editor ignores the file of a process that has ended.
        }
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            try {
                answer(exchange);
            } catch (Refusal refusal) {
                send(exchange, refusal.problem.status(), Problem.MEDIA_TYPE, refusal.problem);
            } catch (RuntimeException e) {
                // Never a trace or a type's name to the client: the detail is for a person.
                send(exchange, 500, Problem.MEDIA_TYPE, Problem.of(500, "internal", "Internal error",
                        "ccp could not answer this request; try again, or look at the terminal where ccp runs"));
            }
        } catch (IOException e) {
            // The client went away.
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        var headers = exchange.getRequestHeaders();
        if (headers.containsKey("Origin")) {
            throw new Refusal(403, "forbidden", "Forbidden", "ccp's editor bridge does not answer web pages");
        }
        List<String> host = headers.getOrDefault("Host", List.of());
        if (host.size() != 1 || !(host.get(0).equalsIgnoreCase("127.0.0.1:" + port()) || host.get(0).equalsIgnoreCase("localhost:" + port()))) {
            throw new Refusal(403, "forbidden", "Forbidden", "send Host: 127.0.0.1:" + port() + " or localhost:" + port());
        }
        if (!authorized(headers.getFirst("Authorization"))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            throw new Refusal(401, "unauthorized", "Unauthorized",
                    "send Authorization: Bearer with the token of the discovery file of ccp process " + ProcessHandle.current().pid());
        }
        String path = exchange.getRequestURI().getRawPath();
        if (path.equals("/v1/runs")) {
            allow(exchange, "GET");
            send(exchange, 200, "application/json", list());
            return;
        }
        Matcher m = RUN.matcher(path);
        if (!m.matches()) {
            throw new Refusal(404, "not-found", "Not found", "no " + path + " here; see docs/ide-protocol.md for the calls");
        }
        String id = m.group(1);
        try {
            if (m.group(2) == null) {
                allow(exchange, "GET");
                send(exchange, 200, "application/json", source.view(id));
            } else if (m.group(3) == null) {
                allow(exchange, "GET");
                send(exchange, 200, "application/json", source.events(id, after(exchange.getRequestURI().getRawQuery()),
                        wait(headers.getFirst("Prefer"))));
            } else {
                allow(exchange, "POST");
                int n = Integer.parseInt(m.group(3));
                Decision decision = decision(read(exchange));
                send(exchange, 200, "application/json", source.decide(id, n, decision));
            }
        } catch (CcpException e) {
            throw new Refusal(e.problem().orElse(Problem.of(409, "conflict", "Conflict", e.getMessage())));
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, "bad-request", "Bad request", e.getMessage());
        }
    }

    private boolean authorized(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, token.getBytes(StandardCharsets.UTF_8));
    }

    private static void allow(HttpExchange exchange, String method) {
        if (!exchange.getRequestMethod().equals(method)) {
            exchange.getResponseHeaders().set("Allow", method);
            throw new Refusal(405, "method-not-allowed", "Method not allowed", exchange.getRequestURI().getRawPath() + " takes " + method + " only");
        }
    }

    private List<RunView> list() {
        return source.list();
    }

    /** The run this {@code ccp} carries out. */
    static final class Local implements Source {
        private final Run run;

        Local(Run run) {
            this.run = run;
        }

        @Override
        public List<RunView> list() {
            RunView v = run.view();
            return List.of(new RunView(v.id(), v.title(), v.state(), v.approval(), v.workspace(), v.startedBy(), v.source(), v.recipe(),
                    v.phase(), v.message(), v.commit(), v.seq(), v.createdAt(), v.updatedAt(), null));
        }

        @Override
        public RunView view(String id) {
            return mine(id).view();
        }

        @Override
        public RunEvents events(String id, long after, Duration wait) {
            return mine(id).events(after, wait);
        }

        @Override
        public StepView decide(String id, int n, Decision decision) {
            int steps = mine(id).view().steps().size();
            if (n < 1 || n > steps) {
                throw new Refusal(404, "not-found", "Not found", "run " + id + " has no step " + n
                        + (steps == 0 ? "; it has no steps yet" : "; its steps are 1 to " + steps));
            }
            return run.decide(n, decision);
        }

        private Run mine(String id) {
            if (!run.id().equals(id)) {
                throw new Refusal(404, "not-found", "Not found", "this ccp carries out no run '" + id + "'; GET /v1/runs lists its runs");
            }
            return run;
        }
    }

    private static long after(String query) {
        if (query == null || !query.contains("after=")) {
            return 0;
        }
        Matcher m = AFTER.matcher(query);
        if (!m.find()) {
            throw new Refusal(400, "bad-request", "Bad request", "after must be the number of an event, such as after=12");
        }
        return Long.parseLong(m.group(1));
    }

    /** {@code Prefer: wait=S}, at most 60 seconds; no wait without it. */
    private static Duration wait(String prefer) {
        Matcher m = prefer == null ? null : WAIT.matcher(prefer);
        return m != null && m.find() ? Duration.ofSeconds(Math.min(60, Long.parseLong(m.group(1)))) : Duration.ZERO;
    }

    private static byte[] read(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MOST_BODY + 1);
            if (body.length > MOST_BODY) {
                throw new Refusal(413, "too-large", "Request too large", "a decision is at most 2 MiB");
            }
            return body;
        }
    }

    /** The editor's decision; {@code via} is the editor whatever the request says. */
    private static Decision decision(byte[] body) {
        DecisionRequest request;
        try {
            request = Json.strict().readValue(body, DecisionRequest.class);
        } catch (IOException e) {
            throw badDecision();
        }
        if (request == null || request.decision() == null) {
            throw badDecision();
        }
        Map<String, String> files = request.files() == null ? Map.of() : request.files();
        if (files.values().stream().anyMatch(Objects::isNull)) {
            throw new Refusal(400, "bad-request", "Bad request", "each file in files needs its content");
        }
        return switch (request.decision()) {
            case "approve" -> files.isEmpty() ? Decision.approve("editor") : Decision.approveWithEdits(files, "editor");
            case "reject" -> {
                if (!files.isEmpty()) {
                    throw new Refusal(400, "bad-request", "Bad request", "files are for approving with edits; a rejection carries none");
                }
                yield Decision.reject("editor");
            }
            default -> throw badDecision();
        };
    }

    private static Refusal badDecision() {
        return new Refusal(400, "bad-request", "Bad request",
                "send {\"decision\": \"approve\"} or {\"decision\": \"reject\"}, with \"files\": {path: content} to approve with edits");
    }

    private static void send(HttpExchange exchange, int status, String type, Object body) throws IOException {
        byte[] bytes = Json.lenient().writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String version() {
        String text = CcpCommand.Version.text();
        return text.startsWith("ccp ") ? text.substring(4) : text;
    }

    /** A refused request and the problem that answers it; no trace, since it is never shown as one. */
    private static final class Refusal extends RuntimeException {

        private static final long serialVersionUID = 1L;
        final transient Problem problem;

        Refusal(int status, String slug, String title, String detail) {
            this(Problem.of(status, slug, title, detail));
        }

        Refusal(Problem problem) {
            super(problem.detail(), null, false, false);
            this.problem = problem;
        }
    }
}
