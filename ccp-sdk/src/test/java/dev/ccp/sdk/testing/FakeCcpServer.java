package dev.ccp.sdk.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ccp.spi.license.Ed25519Key;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.license.LicenseClaims;
import dev.ccp.spi.license.LicensePackCodec;
import dev.ccp.spi.license.LicenseVectors;
import dev.ccp.spi.policy.PolicyVectors;
import dev.ccp.spi.wire.AddMemberRequest;
import dev.ccp.spi.wire.CheckoutRequest;
import dev.ccp.spi.wire.CheckoutResponse;
import dev.ccp.spi.wire.DeviceAuthorizationResponse;
import dev.ccp.spi.wire.IngestResult;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.LicenseStatusResponse;
import dev.ccp.spi.wire.Me;
import dev.ccp.spi.wire.Member;
import dev.ccp.spi.wire.OAuthError;
import dev.ccp.spi.wire.OrgView;
import dev.ccp.spi.wire.Problem;
import dev.ccp.spi.wire.RollupBatch;
import dev.ccp.spi.wire.RollupRow;
import dev.ccp.spi.wire.TokenResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small stand-in for the reference server, speaking its HTTP API on 127.0.0.1 with the JDK's own
 * HTTP server. Tests set its fields to script what it answers and read what it recorded. Packs are
 * signed with {@link LicenseVectors#KEY} unless {@link #signingKey} says otherwise.
 */
public final class FakeCcpServer implements AutoCloseable {

    public static final String USER_CODE = "BCDF-GHJK";
    public static final String DEVICE_CODE = "dc-fake";

    private final HttpServer server;
    private final Clock clock;
    private final LicensePackCodec codec = new LicensePackCodec();
    private final AtomicInteger counter = new AtomicInteger();

    /** Errors the token endpoint answers, in order, before it hands out tokens. */
    public final Deque<String> pollScript = new ArrayDeque<>();
    /** When set, every poll answers {@code authorization_pending}. */
    public volatile boolean neverApprove;
    public volatile long interval = 5;
    public volatile long codeExpiresIn = 900;
    /** The verification URIs the device authorization answers; null: this server's {@code /device} pages. */
    public volatile String verificationUri;
    public volatile String verificationUriComplete;
    public volatile long accessTtl = 3600;
    public volatile Ed25519Key signingKey = LicenseVectors.KEY;
    /** How far the server's clock runs ahead of the test clock when it issues packs. */
    public volatile Duration clockAhead = Duration.ZERO;
    /** The keys published in the JWKS (an access key is always added, to show it is filtered out). */
    public volatile List<Ed25519Key> licenseKeys = List.of(LicenseVectors.KEY);
    public volatile List<Ed25519Key> policyKeys = List.of(PolicyVectors.KEY);
    public final FakePolicies policies;
    public final FakeRuns runs;
    public final FakeRunners runners;
    public final FakeGitHub gitHub;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-ccp-server");
        t.setDaemon(true);
        return t;
    });
    public volatile String login = "alice@example.com";
    public volatile String org = "acme";
    public volatile String plan = "pro";
    public volatile String state = "active";
    public volatile Map<String, Object> entitlements = Map.of("zai_offload", true, "dashboards", true, "privacy_tier", "minimized");
    public volatile boolean noSeat;
    public volatile boolean adminOnly;
    public final Map<String, Member> members = new ConcurrentHashMap<>();

    /** Answers the ingest endpoint gives, in order, before it takes batches again. */
    public final Deque<Reply> ingestScript = new ConcurrentLinkedDeque<>();
    /**
     * Statuses the next requests, whatever they ask for, are answered with as an application server
     * answers before its application is deployed: its own HTML error page.
     */
    public final Deque<Integer> notDeployed = new ConcurrentLinkedDeque<>();
    /** The Idempotency-Key of every ingest request, retries included, in order. */
    public final List<String> idempotencyKeys = new CopyOnWriteArrayList<>();
    /** The batches the ingest endpoint took, in order. */
    public final List<RollupBatch> batches = new CopyOnWriteArrayList<>();
    /** The rows it holds, by {@code model@hour}: the highest revision wins, as on the real server. */
    public final Map<String, RollupRow> rollups = new ConcurrentHashMap<>();

    public final List<String> requests = new CopyOnWriteArrayList<>();
    /** Every API request with the Authorization header it came with: {@code POST /v1/runs/run_1/steps Bearer …}. */
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    public final List<Map<String, String>> forms = new CopyOnWriteArrayList<>();
    public final List<String> revoked = new CopyOnWriteArrayList<>();
    /** Checkouts asked for, in order. */
    public final List<CheckoutRequest> checkouts = new CopyOnWriteArrayList<>();
    public final AtomicInteger refreshes = new AtomicInteger();
    private final Map<String, Instant> liveAccess = new ConcurrentHashMap<>();
    private final Set<String> liveRefresh = ConcurrentHashMap.newKeySet();
    private final Set<String> usedRefresh = ConcurrentHashMap.newKeySet();
    private final Ed25519Key accessKey = Ed25519Key.generate("access");

    /** A scripted answer of the ingest endpoint. */
    public record Reply(int status, String retryAfter, Problem problem) {

        /** Takes the batch as usual. */
        public static final Reply ACCEPT = new Reply(200, null, null);

        public static Reply status(int status) {
            return new Reply(status, null, Problem.of(status, "scripted", "Scripted", "scripted " + status));
        }

        public static Reply retryAfter(int status, String retryAfter) {
            return new Reply(status, retryAfter, Problem.of(status, "busy", "Busy", "busy, retry later"));
        }

        public static Reply problem(Problem problem) {
            return new Reply(problem.status(), null, problem);
        }
    }

    private FakeCcpServer(Clock clock) throws IOException {
        this.clock = clock;
        this.policies = new FakePolicies(this, clock);
        this.runs = new FakeRuns(this, clock);
        this.runners = new FakeRunners(this, runs, clock);
        this.gitHub = new FakeGitHub(this);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // Threads of its own, since a long poll holds one while others are answered.
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        members.put("alice@example.com", new Member("alice@example.com", "alice@example.com", null, "owner", "seat_1", "active"));
    }

    public static FakeCcpServer start(Clock clock) {
        try {
            return new FakeCcpServer(clock);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Ends every session, as an admin revoking the person would. */
    public void revokeAll() {
        liveAccess.clear();
        liveRefresh.clear();
    }

    /** Makes the current access tokens unknown while keeping the refresh tokens, as a key rotation would. */
    public void forgetAccessTokens() {
        liveAccess.clear();
    }

    public long count(String request) {
        return requests.stream().filter(request::equals).count();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            requests.add(method + " " + path);
            Integer starting = notDeployed.poll();
            if (starting != null) {
                send(exchange, starting, "text/html", "<html><body><h1>HTTP Status " + starting + "</h1></body></html>");
                return;
            }
            Map<String, String> form = method.equals("POST") && path.startsWith("/oauth/") ? form(exchange) : Map.of();
            if (!form.isEmpty()) {
                forms.add(form);
            }
            switch (method + " " + path) {
                case "POST /oauth/device_authorization" -> json(exchange, 200, new DeviceAuthorizationResponse(DEVICE_CODE, USER_CODE,
                        verificationUri != null ? verificationUri : uri() + "/device",
                        verificationUriComplete != null ? verificationUriComplete : uri() + "/device?user_code=" + USER_CODE,
                        codeExpiresIn, interval));
                case "POST /oauth/token" -> token(exchange, form);
                case "POST /oauth/revoke" -> {
                    revoked.add(form.get("token"));
                    liveRefresh.remove(form.get("token"));
                    send(exchange, 200, "application/json", "{}");
                }
                case "GET /.well-known/jwks.json" -> {
                    List<Ed25519Key> keys = new ArrayList<>(licenseKeys);
                    keys.addAll(policyKeys);
                    keys.add(accessKey);
                    send(exchange, 200, "application/json", KeyRing.of(keys).toPublicJwks());
                }
                default -> api(exchange, method, path);
            }
        }
    }

    private void token(HttpExchange exchange, Map<String, String> form) throws IOException {
        if ("refresh_token".equals(form.get("grant_type"))) {
            String presented = form.get("refresh_token");
            if (!liveRefresh.remove(presented)) {
                if (usedRefresh.contains(presented)) {
                    revokeAll(); // RFC 9700: reuse of a rotated token ends the whole family
                }
                json(exchange, 400, new OAuthError(OAuthError.INVALID_GRANT, "refresh token is not valid"));
                return;
            }
            usedRefresh.add(presented);
            refreshes.incrementAndGet();
            json(exchange, 200, issueTokens());
            return;
        }
        if (!DEVICE_CODE.equals(form.get("device_code"))) {
            json(exchange, 400, new OAuthError(OAuthError.INVALID_GRANT, "unknown device code"));
            return;
        }
        String scripted = neverApprove ? OAuthError.AUTHORIZATION_PENDING : pollScript.poll();
        if (scripted != null) {
            json(exchange, 400, new OAuthError(scripted, null));
            return;
        }
        json(exchange, 200, issueTokens());
    }

    private TokenResponse issueTokens() {
        int n = counter.incrementAndGet();
        String access = "at-" + n;
        String refresh = "rt-" + n;
        liveAccess.put(access, clock.instant().plusSeconds(accessTtl));
        liveRefresh.add(refresh);
        return new TokenResponse(access, "Bearer", accessTtl, refresh, null);
    }

    private void api(HttpExchange exchange, String method, String path) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
        authorizations.add(method + " " + path + " " + auth);
        if (runners.asRunner(exchange, method, path, token)) {
            return;
        }
        Instant expiry = token == null ? null : liveAccess.get(token);
        if (expiry == null || !clock.instant().isBefore(expiry)) {
            problem(exchange, Problem.of(401, "unauthorized", "Unauthorized", "the access token is missing, expired or revoked"));
            return;
        }
        String membersPrefix = "/v1/orgs/" + org + "/members";
        if (policies.handle(exchange, method, path) || runs.handle(exchange, method, path) || runners.handle(exchange, method, path)
                || gitHub.handle(exchange, method, path)) {
            return;
        }
        if (method.equals("GET") && path.equals("/v1/me")) {
            json(exchange, 200, new Me("usr_alice", login, login, null, org, List.of(new OrgView(org, "Acme", plan, 5, 1, "owner"))));
        } else if (method.equals("GET") && path.equals("/v1/license")) {
            if (noSeat) {
                problem(exchange, Problem.of(403, "no-seat", "No seat", "you hold no seat in org " + org));
            } else {
                send(exchange, 200, "application/jwt", codec.sign(claims(), signingKey));
            }
        } else if (method.equals("GET") && path.equals("/v1/license/status")) {
            LicenseClaims c = claims();
            json(exchange, 200, new LicenseStatusResponse(org, noSeat ? null : "seat_1", plan, entitlements, 5,
                    c.expiresAt(), c.graceUntilInstant(), state, null));
        } else if (method.equals("POST") && path.equals("/v1/ingest/rollups")) {
            ingest(exchange);
        } else if (method.equals("POST") && path.equals("/v1/billing/checkout")) {
            CheckoutRequest request = Json.lenient().readValue(exchange.getRequestBody(), CheckoutRequest.class);
            checkouts.add(request);
            if (adminOnly) {
                problem(exchange, Problem.of(403, "forbidden", "Forbidden", "only owners and admins of " + org + " buy its plan"));
                return;
            }
            json(exchange, 200, new CheckoutResponse("https://pay.example/checkout/" + request.plan(), request.plan(), org));
        } else if (path.startsWith("/v1/orgs/") && !path.startsWith(membersPrefix)) {
            problem(exchange, Problem.of(404, "not-found", "Not found", "no org " + path.split("/")[3]));
        } else if (adminOnly) {
            problem(exchange, Problem.of(403, "forbidden", "Forbidden", "only owners and admins manage members"));
        } else if (method.equals("GET") && path.equals(membersPrefix)) {
            json(exchange, 200, List.copyOf(members.values()));
        } else if (method.equals("POST") && path.equals(membersPrefix)) {
            AddMemberRequest request = Json.lenient().readValue(exchange.getRequestBody(), AddMemberRequest.class);
            if (members.containsKey(request.login())) {
                problem(exchange, Problem.of(409, "conflict", "Conflict", request.login() + " is already a member"));
                return;
            }
            Member member = new Member(request.login(), request.login(), null, request.role() == null ? "member" : request.role(),
                    Boolean.FALSE.equals(request.seat()) ? null : "seat_" + (members.size() + 1), "pending");
            members.put(member.login(), member);
            json(exchange, 201, member);
        } else if (method.equals("DELETE") && path.startsWith(membersPrefix + "/")) {
            String login = path.substring(membersPrefix.length() + 1);
            if (members.remove(login) == null) {
                problem(exchange, Problem.of(404, "not-found", "Not found", login + " is not a member of " + org));
            } else {
                send(exchange, 204, null, null);
            }
        } else {
            problem(exchange, Problem.of(404, "not-found", "Not found", method + " " + path));
        }
    }

    private void ingest(HttpExchange exchange) throws IOException {
        idempotencyKeys.add(String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key")));
        byte[] body = exchange.getRequestBody().readAllBytes();
        Reply reply = ingestScript.poll();
        if (reply != null && reply.status() != 200) {
            if (reply.retryAfter() != null) {
                exchange.getResponseHeaders().set("Retry-After", reply.retryAfter());
            }
            problem(exchange, reply.problem());
            return;
        }
        if (noSeat) {
            problem(exchange, Problem.of(403, "no-seat", "No seat", "You hold no seat in org " + org));
            return;
        }
        RollupBatch batch = Json.strict().readValue(body, RollupBatch.class);
        int stored = 0;
        int unchanged = 0;
        int refused = 0;
        for (RollupRow row : batch.rows()) {
            String key = row.model() + "@" + row.hour();
            RollupRow held = rollups.get(key);
            if (held == null || row.revision() > held.revision()) {
                rollups.put(key, row);
                stored++;
            } else if (row.revision() == held.revision() && !row.equals(held)) {
                refused++;
            } else {
                unchanged++;
            }
        }
        batches.add(batch);
        json(exchange, 200, new IngestResult(stored, unchanged, refused));
    }

    public LicenseClaims claims() {
        long now = clock.instant().plus(clockAhead).getEpochSecond();
        long exp = now + 14 * 86400L;
        return new LicenseClaims(uri().toString(), "usr_alice", org, "seat_1", plan, entitlements, 5,
                now, now, exp, now + 86400L, exp + 7 * 86400L, "lic_" + now, state, null);
    }

    private static Map<String, String> form(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    static void problem(HttpExchange exchange, Problem problem) throws IOException {
        send(exchange, problem.status(), Problem.MEDIA_TYPE, write(problem));
    }

    static void json(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, "application/json", write(body));
    }

    private static String write(Object body) throws JsonProcessingException {
        return Json.lenient().writeValueAsString(body);
    }

    static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        if (type != null) {
            exchange.getResponseHeaders().set("Content-Type", type);
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }
}
