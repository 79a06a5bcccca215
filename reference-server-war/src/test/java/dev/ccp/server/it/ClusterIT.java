package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes behind Debian's haproxy (round robin, health-checked on {@code /health/ready}) on one
 * PostgreSQL, as an operator runs them: every request may land on any node, so whatever works here
 * keeps nothing that matters in one node's memory. The nodes start at once, on an empty keys folder
 * and an empty database of their own, which they migrate together.
 */
class ClusterIT {

    static final String HAPROXY = "/usr/sbin/haproxy";
    /** The load test sends more batches a minute than an org may by default (the limit counts on every node). */
    static final Map<String, String> SETTINGS = Map.of("CCP_INGEST_PER_MINUTE", "100000");

    @TempDir
    static Path dir;
    static final List<ServerProcess> nodes = new ArrayList<>();
    static final List<Integer> ports = new ArrayList<>();
    static Process haproxy;
    static Http lb;

    /** A database of this class's own, created empty, so that the three nodes migrate it together. */
    static String dbUrl;
    static String dbName;

    @BeforeAll
    static void start() throws Exception {
        String shared = System.getProperty("ccp.it.db.url", "");
        assumeTrue(shared.startsWith("jdbc:postgresql:"), "several nodes need PostgreSQL: run with -Dccp.it.db.url=jdbc:postgresql:…");
        assertThat(Path.of(HAPROXY)).as("Debian's haproxy (apt-get install haproxy)").exists();
        dbName = "ccp_cluster_" + Long.toHexString(System.nanoTime());
        try (Connection c = connect(shared); java.sql.Statement s = c.createStatement()) {
            s.execute("create database " + dbName);
        }
        dbUrl = shared.replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + dbName);
        Map<String, String> settings = new java.util.HashMap<>(SETTINGS);
        settings.put("CCP_DB_URL", dbUrl);
        Path keys = dir.resolve("keys");
        for (int i = 0; i < 3; i++) {
            ports.add(ServerProcess.freePort());
            nodes.add(ServerProcess.start(dir.resolve("node" + i), keys, settings, ports.get(i)));
        }
        for (ServerProcess node : nodes) {
            node.ready();
        }
        int port = ServerProcess.freePort();
        StringBuilder config = new StringBuilder("""
                global
                  maxconn 1000
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 120s
                  timeout server 120s
                  timeout check 5s
                  retries 3
                  option redispatch
                  retry-on conn-failure
                  option forwardfor
                frontend ccp
                  bind 127.0.0.1:%d
                  # A cleartext HTTP/2 upgrade would turn the connection into a tunnel to one node.
                  http-request del-header Upgrade if { req.hdr(Upgrade) -i h2c }
                  http-request del-header HTTP2-Settings
                  default_backend nodes
                backend nodes
                  balance roundrobin
                  option httpchk
                  http-check send meth GET uri /health/ready ver HTTP/1.1 hdr Host 127.0.0.1
                  http-check expect status 200
                  http-response set-header X-Served-By %%s
                """.formatted(port));
        for (int i = 0; i < 3; i++) {
            config.append("  server n").append(i).append(" 127.0.0.1:").append(ports.get(i)).append(" check inter 1s fall 3 rise 2\n");
        }
        Path file = Files.writeString(dir.resolve("haproxy.cfg"), config);
        haproxy = new ProcessBuilder(HAPROXY, "-db", "-f", file.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        lb = new Http(new URL("http://127.0.0.1:" + port + "/"));
        awaitServedBy(Set.of("n0", "n1", "n2"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (haproxy != null) {
            haproxy.destroy();
            haproxy.waitFor(10, TimeUnit.SECONDS);
        }
        for (ServerProcess node : nodes) {
            node.close();
        }
        if (dbName != null) {
            try (Connection c = connect(System.getProperty("ccp.it.db.url")); java.sql.Statement s = c.createStatement()) {
                s.execute("drop database if exists " + dbName + " with (force)");
            }
        }
    }

    /** Waits until the balancer sends requests to each of {@code servers}. */
    static void awaitServedBy(Set<String> servers) throws Exception {
        Set<String> seen = new HashSet<>();
        String last = "nothing";
        for (int i = 0; i < 240 && !seen.containsAll(servers); i++) {
            try {
                HttpResponse<String> ready = lb.get("health/ready", null);
                last = ready.statusCode() + " " + ready.headers().map();
                if (ready.statusCode() == 200) {
                    ready.headers().firstValue("X-Served-By").ifPresent(seen::add);
                }
            } catch (RuntimeException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        assertThat(seen).as("servers the balancer sends requests to; last answer " + last + "; haproxy "
                + (haproxy.isAlive() ? "running" : "exited " + haproxy.exitValue()) + "; its log:\n" + Files.readString(dir.resolve("haproxy.log")))
                .containsAll(servers);
    }

    @Test
    void everyFeatureWorksWhicheverNodeEachRequestLandsOn(@TempDir Path home) throws Exception {
        Set<String> servedBy = ConcurrentHashMap.newKeySet();

        // Device login with the real CLI: code, page, polls and token each on any node.
        String owner = Logins.unique("cluster-owner");
        Cli ccp = new Cli(home, lb.base());
        CliEndToEndIT.loggedIn(CliEndToEndIT.login(ccp, lb, owner));
        Cli.Result status = ccp.run("status");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains(owner);

        // Refresh tokens rotate on one node and are refused on the next once used.
        JsonNode tokens = Logins.login(lb, Logins.unique("cluster-refresh"), null);
        String refresh = tokens.get("refresh_token").asText();
        String used = refresh;
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> renewed = lb.form("oauth/token", Http.fields("grant_type", "refresh_token", "refresh_token", refresh,
                    "client_id", Logins.CLIENT));
            assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
            renewed.headers().firstValue("X-Served-By").ifPresent(servedBy::add);
            refresh = Http.body(renewed).get("refresh_token").asText();
        }
        assertThat(lb.form("oauth/token", Http.fields("grant_type", "refresh_token", "refresh_token", used, "client_id", Logins.CLIENT))
                .statusCode()).as("a used refresh token, on whichever node").isEqualTo(400);

        // License status and ingest, with one idempotency key answered the same by every node.
        String token = Logins.accessToken(lb, owner, null);
        String org = Http.body(lb.get("v1/me", token)).get("org").asText();
        assertThat(lb.json("POST", "v1/operator/orgs/" + org + "/license", ServerIT.OPERATOR, "{\"plan\":\"team\",\"seats\":5}")
                .statusCode()).isBetween(200, 201);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> license = lb.get("v1/license/status", token);
            assertThat(Http.body(license).get("plan").asText()).isEqualTo("team");
            license.headers().firstValue("X-Served-By").ifPresent(servedBy::add);
        }
        String key = "cluster-" + System.nanoTime();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> stored = ingest(token, key, UsageIT.batch(UsageIT.row("cluster-model", 1, 7)));
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
            assertThat(Http.body(stored).get("stored").asInt()).as("the same key answers the same on every node").isEqualTo(1);
        }

        // A long poll held by one node is woken by a publish on another.
        assertThat(lb.json("POST", "v1/admin/policies/dev", token, "{\"schema\":\"ccp.policy/v1\"}").statusCode()).isEqualTo(201);
        String etag = lb.get("v1/policy/dev", token).headers().firstValue("ETag").orElseThrow();
        CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> PolicyIT.conditional(lb, token, etag, "wait=50"));
        Thread.sleep(1000);
        assertThat(lb.json("POST", "v1/admin/policies/dev", token, PolicyClusterIT.NO_GPT).statusCode()).isEqualTo(201);
        HttpResponse<String> woken = held.get(60, TimeUnit.SECONDS);
        assertThat(woken.statusCode()).isEqualTo(200);
        assertThat(woken.headers().firstValue("ETag").orElseThrow()).startsWith("\"2.");

        // A webhook delivered again lands on other nodes and is applied once.
        String id = "msg_cluster_" + System.nanoTime();
        Instant at = Instant.now();
        String body = "{\"type\":\"checkout.updated\",\"timestamp\":\"" + at + "\",\"data\":{\"id\":\"co_cluster\"}}";
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> delivered = lb.send(HttpRequest.newBuilder(lb.uri("v1/webhooks/polar")).header("Content-Type", "application/json")
                    .header("webhook-id", id).header("webhook-timestamp", Long.toString(at.getEpochSecond()))
                    .header("webhook-signature", BillingIT.sign(id, at, body)).POST(HttpRequest.BodyPublishers.ofString(body)));
            assertThat(delivered.statusCode()).as(delivered.body()).isBetween(200, 299);
        }
        assertThat(count("select count(*) from billing_events where id like ?", "%" + id)).isEqualTo(1);

        // The admin pages: a session and its form tokens, from one node to the next.
        PageSession pages = PageSession.signIn(lb, owner, org);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> overview = pages.get("admin");
            assertThat(overview.statusCode()).isEqualTo(200);
            overview.headers().firstValue("X-Served-By").ifPresent(servedBy::add);
        }
        HttpResponse<String> added = pages.post("admin/members", "admin/members/add", "login", Logins.unique("cluster-dev"), "role", "member");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(303);

        assertThat(servedBy).as("the requests above were spread over the nodes").contains("n0", "n1", "n2");
    }

    @Test
    void aNodeKilledUnderLoadLosesNoAcknowledgedWriteAndRejoins() throws Exception {
        String owner = Logins.unique("cluster-load");
        String token = Logins.accessToken(lb, owner, null);
        String org = Http.body(lb.get("v1/me", token)).get("org").asText();
        lb.json("POST", "v1/operator/orgs/" + org + "/license", ServerIT.OPERATOR, "{\"plan\":\"team\",\"seats\":5}");

        int clients = 4;
        int batches = 30;
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger retried = new AtomicInteger();
        CountDownLatch halfway = new CountDownLatch(clients * batches / 3);
        List<CompletableFuture<Void>> load = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            load.add(CompletableFuture.runAsync(() -> {
                for (int b = 0; b < batches; b++) {
                    // Each batch a row of its own under a key of its own, sent again until acknowledged.
                    String batch = UsageIT.batch(UsageIT.row("load-" + client + "-" + b, 1, 3));
                    String key = "load-" + org + "-" + client + "-" + b;
                    for (int attempt = 0; ; attempt++) {
                        try {
                            HttpResponse<String> answer = ingest(token, key, batch);
                            if (answer.statusCode() == 200) {
                                break;
                            }
                            assertThat(answer.statusCode()).as(answer.body()).isIn(502, 503, 504);
                        } catch (RuntimeException e) {
                            // the connection went with the node: send it again
                        }
                        assertThat(attempt).as("a batch acknowledged within 60 tries").isLessThan(60);
                        retried.incrementAndGet();
                        pause(250);
                    }
                    acknowledged.incrementAndGet();
                    halfway.countDown();
                }
            }));
        }
        assertThat(halfway.await(120, TimeUnit.SECONDS)).isTrue();
        nodes.get(1).kill();
        CompletableFuture.allOf(load.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);

        assertThat(acknowledged).hasValue(clients * batches);
        String orgId = String.valueOf(query("select id from orgs where slug = ?", org));
        assertThat(count("select count(*) from usage_rollups where org_id = ?", orgId)).as("every acknowledged row, once").isEqualTo(clients * batches);
        assertThat(count("select sum(requests) from usage_rollups where org_id = ?", orgId)).isEqualTo(3L * clients * batches);
        System.out.println("kill -9 under load: " + acknowledged + " batches acknowledged, " + retried + " sent again");

        // The node comes back on its port and the balancer sends to it again.
        Map<String, String> settings = new java.util.HashMap<>(SETTINGS);
        settings.put("CCP_DB_URL", dbUrl);
        nodes.set(1, ServerProcess.start(dir.resolve("node1"), dir.resolve("keys"), settings, ports.get(1)).ready());
        awaitServedBy(Set.of("n1"));
        assertThat(lb.get("v1/license/status", token).statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> ingest(String token, String key, String batch) {
        return lb.send(HttpRequest.newBuilder(lb.uri("v1/ingest/rollups")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(batch)));
    }

    private static long count(String sql, String parameter) throws Exception {
        Object value = query(sql, parameter);
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static Object query(String sql, String parameter) throws Exception {
        try (Connection c = connect(dbUrl); PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, parameter);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getObject(1) : null;
            }
        }
    }

    private static Connection connect(String url) throws java.sql.SQLException {
        return DriverManager.getConnection(url, blankToNull(System.getProperty("ccp.it.db.user")), blankToNull(System.getProperty("ccp.it.db.password")));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
