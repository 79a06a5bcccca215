package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database goes away under a running node and comes back: readiness says so and names the
 * check, requests are answered 503 problem+json with {@code Retry-After} within the client's
 * patience (not after minutes of retries), and the node recovers by itself. The node reaches its
 * database through a relay the test cuts: PostgreSQL when the run has one, else H2 over TCP.
 */
class DatabaseOutageIT {

    /** What a client waits for an answer: a node that takes longer has not failed fast. */
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final java.net.http.HttpClient CLIENT = java.net.http.HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void aNodeWithoutItsDatabaseSaysSoQuicklyAndRecoversWhenItReturns() throws Exception {
        String configured = System.getenv("CCP_DB_URL");
        Server h2 = null;
        TcpProxy proxy;
        String url;
        if (configured != null && configured.startsWith("jdbc:postgresql:")) {
            URI upstream = URI.create(configured.substring("jdbc:".length()));
            proxy = new TcpProxy(upstream.getHost(), upstream.getPort() < 0 ? 5432 : upstream.getPort());
            url = configured.replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/");
        } else {
            // A file database: one in memory is closed by H2's server when its connections are cut.
            h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", dir.resolve("h2").toString()).start();
            proxy = new TcpProxy("127.0.0.1", h2.getPort());
            url = "jdbc:h2:tcp://127.0.0.1:" + proxy.port() + "/outage";
        }
        try (proxy; ServerProcess node = ServerProcess.start(dir.resolve("node"), dir.resolve("keys"),
                Map.of("CCP_DB_URL", url)).ready()) {
            try {
                outageAndRecovery(node.http(), proxy);
                // The pool's own lines reach the server's log, so an operator sees what it says in an outage.
                assertThat(node.log()).contains("com.zaxxer.hikari").doesNotContain("SLF4J");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nthe node's log ends:\n" + node.tail(), e);
            }
        } finally {
            if (h2 != null) {
                h2.stop();
            }
        }
    }

    private static void outageAndRecovery(Http http, TcpProxy proxy) throws Exception {
        String token = Logins.accessToken(http, Logins.unique("outage"), null);
        assertThat(http.get("v1/me", token).statusCode()).isEqualTo(200);

        proxy.cut();

        HttpResponse<String> down = await(http, "health/ready", 503);
        JsonNode readiness = Http.body(down);
        assertThat(readiness.get("status").asText()).isEqualTo("DOWN");
        assertThat(readiness.get("checks")).anySatisfy(check -> {
            assertThat(check.get("name").asText()).isEqualTo("database");
            assertThat(check.get("status").asText()).isEqualTo("DOWN");
        });
        for (String path : new String[] {"v1/me", "v1/license/status"}) {
            HttpResponse<String> refused = patiently(http, path, token);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(Http.body(refused).get("type").asText()).endsWith("/database-unavailable");
        }

        proxy.restore();

        await(http, "health/ready", 200);
        assertThat(patiently(http, "v1/me", token).statusCode()).as("recovered without a restart").isEqualTo(200);
    }

    /** One request that must be answered within {@link #PATIENCE}. */
    private static HttpResponse<String> patiently(Http http, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(http.uri(path)).timeout(PATIENCE);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new AssertionError(path + " was not answered within " + PATIENCE.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Asks until {@code path} answers {@code status}; each answer must come within {@link #PATIENCE}. */
    private static HttpResponse<String> await(Http http, String path, int status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        HttpResponse<String> answer;
        do {
            answer = patiently(http, path, null);
            if (answer.statusCode() == status) {
                return answer;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(path + " did not answer " + status + " within a minute; last: " + answer.statusCode() + " " + answer.body());
    }
}
