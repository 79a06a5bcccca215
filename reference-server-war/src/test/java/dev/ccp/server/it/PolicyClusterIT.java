package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.spi.wire.Json;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy distribution across processes: nodes that share only the database (and the keys folder),
 * and a client whose server goes away.
 */
class PolicyClusterIT {

    static final String NO_GPT = "{\"schema\":\"ccp.policy/v1\",\"models\":{\"deny\":[\"gpt-*\"]}}";

    @TempDir
    Path dir;

    @Test
    void whenTheServerIsGoneTheCachedPackStaysInForce() throws Exception {
        Path home = dir.resolve("home");
        Cli ccp;
        try (ServerProcess node = ServerProcess.start(dir.resolve("node"), dir.resolve("keys")).ready()) {
            Http http = node.http();
            ccp = new Cli(home, node.base);
            CliEndToEndIT.loggedIn(CliEndToEndIT.login(ccp, http, Logins.unique("ops")));
            Path document = Files.writeString(dir.resolve("document.json"), NO_GPT);
            assertThat(ccp.run("policy", "publish", "--channel", "prod", document.toString()).exit()).isZero();
            JsonNode online = Json.lenient().readTree(ccp.run("policy", "status", "--json").out());
            assertThat(online.get("source").asText()).isEqualTo("network");
            assertThat(online.get("state").asText()).isEqualTo("CURRENT");
        }

        Cli.Result offline = ccp.run("policy", "status", "--json");
        assertThat(offline.exit()).as(offline.err()).isZero();
        JsonNode status = Json.lenient().readTree(offline.out());
        assertThat(status.get("version").asLong()).isEqualTo(1);
        assertThat(status.get("source").asText()).isEqualTo("cache");
        assertThat(status.get("state").asText()).isEqualTo("STALE");
        assertThat(status.get("last_error").asText()).contains("cannot connect");
    }

    @Test
    void aPublishOnOneNodeWakesALongPollHeldByAnother() throws Exception {
        String db = System.getenv("CCP_DB_URL");
        assumeTrue(db != null && db.startsWith("jdbc:postgresql:"), "two nodes need a shared database: run with -Dccp.it.db.url=jdbc:postgresql:…");
        Path keys = dir.resolve("keys");
        // The first node makes the keys; the second starts once they exist, so both sign with the same ones.
        try (ServerProcess a = ServerProcess.start(dir.resolve("a"), keys).ready();
                ServerProcess b = ServerProcess.start(dir.resolve("b"), keys).ready()) {
            Http onA = a.http();
            Http onB = b.http();
            String token = Logins.accessToken(onA, Logins.unique("cluster"), null);
            assertThat(onA.json("POST", "v1/admin/policies/dev", token, "{\"schema\":\"ccp.policy/v1\"}").statusCode()).isEqualTo(201);
            String etag = onB.get("v1/policy/dev", token).headers().firstValue("ETag").orElseThrow();

            // Held by B for up to 50 s: answered well before that only if A's publish woke it.
            CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(
                    () -> PolicyIT.conditional(onB, token, etag, "wait=50"));
            Thread.sleep(1000);
            assertThat(held).isNotDone();
            assertThat(onA.json("POST", "v1/admin/policies/dev", token, NO_GPT).statusCode()).isEqualTo(201);
            long published = System.nanoTime();
            HttpResponse<String> woken = held.get(30, TimeUnit.SECONDS);
            System.out.println("publish on A to answer on B: " + (System.nanoTime() - published) / 1_000_000 + " ms");
            assertThat(woken.statusCode()).isEqualTo(200);
            assertThat(woken.headers().firstValue("ETag").orElseThrow()).startsWith("\"2.");
        }
    }
}
