package dev.ccp.sdk.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.ccp.spi.license.Ed25519Key;
import dev.ccp.spi.policy.PolicyClaims;
import dev.ccp.spi.policy.PolicyPackCodec;
import dev.ccp.spi.policy.PolicyVectors;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.PolicyVersionView;
import dev.ccp.spi.wire.Problem;
import dev.ccp.spi.wire.PromoteRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The policy endpoints of {@link FakeCcpServer}: {@code GET /v1/policy/{channel}} with ETag and a real
 * long poll (the request is held until {@link #serve} or the wait ends), and the admin endpoints.
 */
public final class FakePolicies {

    private final FakeCcpServer server;
    private final Clock clock;
    private final Object lock = new Object();
    private final Map<String, String> packs = new HashMap<>();
    private final Map<String, Long> versions = new HashMap<>();
    /** The documents admins published, as sent. */
    public final List<String> published = new CopyOnWriteArrayList<>();
    /** The {@code If-None-Match} and {@code Prefer} headers of each policy request. */
    public final List<String> conditions = new CopyOnWriteArrayList<>();
    public volatile Ed25519Key signingKey = PolicyVectors.KEY;

    FakePolicies(FakeCcpServer server, Clock clock) {
        this.server = server;
        this.clock = clock;
    }

    /** A pack for the server's org, signed now with {@link #signingKey}, valid for a day. */
    public String sign(String channel, long version, String document) {
        return sign(server.org, channel, version, document, clock.instant());
    }

    public String sign(String org, String channel, long version, String document, Instant issued) {
        JsonNode json = PolicyVectors.json(document);
        PolicyClaims claims = new PolicyClaims(server.uri().toString(), org, channel, version, issued.getEpochSecond(),
                issued.getEpochSecond() + 86400, json);
        return new PolicyPackCodec().sign(claims, signingKey);
    }

    /** Serves a pack from now on, waking the long polls of its channel. */
    public void serve(String pack) {
        String channel = PolicyPackCodec.unverifiedClaims(pack).channel();
        synchronized (lock) {
            packs.put(channel, pack);
            lock.notifyAll();
        }
    }

    /** Serves a pack signed now; returns it. */
    public String serve(String channel, long version, String document) {
        String pack = sign(channel, version, document);
        serve(pack);
        return pack;
    }

    boolean handle(HttpExchange exchange, String method, String path) throws IOException {
        if (method.equals("GET") && path.startsWith("/v1/policy/")) {
            get(exchange, path.substring("/v1/policy/".length()));
        } else if (server.adminOnly && path.startsWith("/v1/admin/policies/")) {
            FakeCcpServer.problem(exchange, Problem.of(403, "forbidden", "Not permitted",
                    "only owners and admins of " + server.org + " manage its policies; you are a member"));
        } else if (method.equals("POST") && path.equals("/v1/admin/policies/prod/promote")) {
            PromoteRequest request = Json.lenient().readValue(exchange.getRequestBody(), PromoteRequest.class);
            FakeCcpServer.json(exchange, 201, next("prod", request.version()));
        } else if (method.equals("POST") && path.startsWith("/v1/admin/policies/")) {
            String body = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            published.add(body);
            if (body.contains("\"modles\"")) {
                FakeCcpServer.problem(exchange, Problem.of(400, "invalid-policy", "Invalid policy document",
                        "/modles is not a field of ccp.policy/v1").withErrors(List.of(
                                new Problem.FieldError("/modles", "is not a field of ccp.policy/v1"))));
                return true;
            }
            FakeCcpServer.json(exchange, 201, next(path.substring("/v1/admin/policies/".length()), null));
        } else {
            return false;
        }
        return true;
    }

    private PolicyVersionView next(String channel, Long promotedFrom) {
        long version;
        synchronized (lock) {
            version = versions.merge(channel, 1L, Long::sum);
        }
        return new PolicyVersionView(channel, version, "0".repeat(64), clock.instant(), server.login, promotedFrom, true);
    }

    private void get(HttpExchange exchange, String channel) throws IOException {
        String held = exchange.getRequestHeaders().getFirst("If-None-Match");
        String prefer = exchange.getRequestHeaders().getFirst("Prefer");
        conditions.add(held + " " + prefer);
        long deadline = System.nanoTime() + (prefer == null ? 0 : Long.parseLong(prefer.replace("wait=", "").strip()) * 1_000_000_000L);
        String pack;
        synchronized (lock) {
            while (true) {
                pack = packs.get(channel);
                boolean unchanged = pack == null || held != null && held.equals("\"" + PolicyPackCodec.etag(PolicyPackCodec.unverifiedClaims(pack)) + "\"");
                long left = deadline - System.nanoTime();
                if (!unchanged || left <= 0) {
                    break;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        if (pack == null) {
            FakeCcpServer.problem(exchange, Problem.of(404, "no-policy", "No policy published", "nothing has been published to " + channel));
        } else if (held != null && held.equals("\"" + PolicyPackCodec.etag(PolicyPackCodec.unverifiedClaims(pack)) + "\"")) {
            exchange.getResponseHeaders().set("ETag", held);
            FakeCcpServer.send(exchange, 304, null, null);
        } else {
            exchange.getResponseHeaders().set("ETag", "\"" + PolicyPackCodec.etag(PolicyPackCodec.unverifiedClaims(pack)) + "\"");
            FakeCcpServer.send(exchange, 200, "application/jwt", pack);
        }
    }
}
