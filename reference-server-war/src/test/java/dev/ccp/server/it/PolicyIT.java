package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.sdk.CcpClient;
import dev.ccp.sdk.PolicyClient;
import dev.ccp.sdk.PolicyListener;
import dev.ccp.sdk.PolicyStatus;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.policy.PolicyPackCodec;
import dev.ccp.spi.policy.PolicyVerification;
import dev.ccp.spi.wire.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyIT extends ServerIT {

    static final String EMPTY = "{\"schema\":\"ccp.policy/v1\"}";
    static final String NO_GPT = "{\"schema\":\"ccp.policy/v1\",\"models\":{\"deny\":[\"gpt-*\"]}}";
    static final String OFFLOAD = "{\"schema\":\"ccp.policy/v1\",\"offload\":{\"allowed\":true,\"models\":[\"glm-4.6\"],\"min_tokens_in\":4000}}";

    @TempDir
    Path home;

    @Test
    void anAdminsPublishReachesALongPollingClientAndTheCliShowsIt() throws Exception {
        Http http = http();
        Cli ccp = new Cli(home, http.base());
        CliEndToEndIT.loggedIn(CliEndToEndIT.login(ccp, http, Logins.unique("policy-admin")));
        assertThat(ccp.run("policy", "use", "dev").exit()).isZero();

        BlockingQueue<Long> reloaded = new LinkedBlockingQueue<>();
        // A long poll of 50 s: an answer within 30 s can only have come from the publish waking it.
        try (CcpClient client = CcpClient.builder().home(home).server(URI.create(http.base()))
                .policyWait(Duration.ofSeconds(50)).build()) {
            PolicyClient policy = client.policy("dev");
            policy.addListener((PolicyListener) (document, status) -> reloaded.add(status.version()));
            policy.start();
            Thread.sleep(500); // let the first long poll reach the server
            Path file = Files.writeString(home.resolve("document.json"), NO_GPT);
            Instant published = Instant.now();
            Cli.Result publish = ccp.run("policy", "publish", "--channel", "dev", file.toString());
            assertThat(publish.exit()).as(publish.err()).isZero();
            assertThat(publish.out()).startsWith("Published dev version 1");
            assertThat(reloaded.poll(30, TimeUnit.SECONDS)).isEqualTo(1);
            System.out.println("publish to hot reload: " + Duration.between(published, Instant.now()).toMillis() + " ms");
            assertThat(policy.current().orElseThrow().allowsModel("gpt-5")).isFalse();
            assertThat(policy.status().state()).isEqualTo(PolicyStatus.State.CURRENT);

            Files.writeString(file, OFFLOAD);
            assertThat(ccp.run("policy", "publish", "--channel", "dev", file.toString()).out()).startsWith("Published dev version 2");
            assertThat(reloaded.poll(30, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(policy.current().orElseThrow().mayOffload("glm-4.6", 5000)).isTrue();
        }

        Cli.Result shown = ccp.run("policy", "status", "--json");
        assertThat(shown.exit()).as(shown.err()).isZero();
        JsonNode status = Json.lenient().readTree(shown.out());
        assertThat(status.get("channel").asText()).as(shown.out()).isEqualTo("dev");
        assertThat(status.get("version").asLong()).isEqualTo(2);
        assertThat(status.get("source").asText()).isEqualTo("network");
        assertThat(status.get("state").asText()).isEqualTo("CURRENT");

        Path again = Files.writeString(home.resolve("again.json"), OFFLOAD);
        assertThat(ccp.run("policy", "publish", "--channel", "dev", again.toString()).out())
                .startsWith("dev already serves this document as version 2");
        assertThat(ccp.run("policy", "promote", "2").out()).isEqualToIgnoringNewLines("Promoted dev version 2 to prod version 1");
        assertThat(ccp.run("policy", "history", "--channel", "prod").out()).contains("(from dev 2)");
        Path rollback = Files.writeString(home.resolve("rollback.json"), NO_GPT);
        assertThat(ccp.run("policy", "publish", "--channel", "dev", rollback.toString()).out())
                .as("a rollback is old content under a higher version").startsWith("Published dev version 3");
    }

    @Test
    void packsCarryAnEtagAndWaitingRequestsAnswer304WhenNothingChanged() throws Exception {
        Http http = http();
        String token = Logins.accessToken(http, Logins.unique("etag"), null);
        String org = Http.body(http.get("v1/me", token)).get("org").asText();

        UsageIT.assertProblem(http.get("v1/policy/dev", token), 404, "nothing has been published to dev");
        UsageIT.assertProblem(http.get("v1/policy/staging", token), 404, "the channels are dev and prod");
        assertThat(http.get("v1/policy/dev", null).statusCode()).isEqualTo(401);
        assertThat(http.json("POST", "v1/admin/policies/dev", token, EMPTY).statusCode()).isEqualTo(201);

        HttpResponse<String> first = http.get("v1/policy/dev", token);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/jwt");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        KeyRing keys = KeyRing.parseJwks(http.get(".well-known/jwks.json", null).body());
        PolicyVerification verified = new PolicyPackCodec().verify(first.body(), keys, org, "dev", Instant.now());
        assertThat(verified.result()).isEqualTo(PolicyVerification.Result.VALID);
        assertThat(verified.kid()).startsWith("policy-");
        assertThat(etag).isEqualTo("\"" + PolicyPackCodec.etag(verified.claims()) + "\"");

        assertThat(conditional(http, token, etag, null).statusCode()).isEqualTo(304);
        assertThat(conditional(http, token, "W/" + etag + ", \"other\"", null).statusCode()).isEqualTo(304);
        assertThat(conditional(http, token, "\"0.0\"", null).statusCode()).isEqualTo(200);
        HttpResponse<String> waited = conditional(http, token, etag, "wait=1");
        assertThat(waited.statusCode()).isEqualTo(304);
        assertThat(waited.headers().firstValue("ETag")).contains(etag);

        CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> conditional(http, token, etag, "wait=50"));
        Thread.sleep(500);
        assertThat(held).isNotDone();
        assertThat(http.json("POST", "v1/admin/policies/dev", token, NO_GPT).statusCode()).isEqualTo(201);
        HttpResponse<String> woken = held.get(30, TimeUnit.SECONDS);
        assertThat(woken.statusCode()).isEqualTo(200);
        assertThat(PolicyPackCodec.unverifiedClaims(woken.body()).version()).isEqualTo(2);
    }

    static HttpResponse<String> conditional(Http http, String token, String ifNoneMatch, String prefer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(http.uri("v1/policy/dev")).header("Authorization", "Bearer " + token)
                .header("If-None-Match", ifNoneMatch).timeout(Duration.ofSeconds(90));
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        return http.send(request);
    }

    @Test
    void publishingIsForAdminsAndRefusesBadDocumentsNamingTheField() {
        Http http = http();
        String owner = Logins.accessToken(http, Logins.unique("owner"), null);
        String org = Http.body(http.get("v1/me", owner)).get("org").asText();
        http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":\"team\"}");
        String member = Logins.unique("member");
        http.json("POST", "v1/orgs/" + org + "/members", owner, "{\"login\":\"" + member + "\",\"role\":\"member\"}");
        String memberToken = Logins.accessToken(http, member, org);

        UsageIT.assertProblem(http.json("POST", "v1/admin/policies/dev", memberToken, EMPTY), 403, "manage its policies");
        HttpResponse<String> invalid = http.json("POST", "v1/admin/policies/dev", owner,
                "{\"schema\":\"ccp.policy/v1\",\"modles\":{},\"models\":{\"allow\":[\"Bad Id\"]}}");
        UsageIT.assertProblem(invalid, 400, "2 errors");
        assertThat(Http.body(invalid).get("errors").findValuesAsText("pointer")).containsExactlyInAnyOrder("/modles", "/models/allow/0");
        UsageIT.assertProblem(http.json("POST", "v1/admin/policies/dev", owner, "{\"schema\":"), 400, "not JSON");
        UsageIT.assertProblem(http.json("POST", "v1/admin/policies/dev", owner,
                "{\"schema\":\"ccp.policy/v1\",\"schema\":\"ccp.policy/v1\"}"), 400, "Duplicate field");
        UsageIT.assertProblem(http.json("POST", "v1/admin/policies/prod/promote", owner, "{\"version\":7}"), 404, "dev has no version 7");

        assertThat(http.json("POST", "v1/admin/policies/dev", owner, NO_GPT).statusCode()).isEqualTo(201);
        assertThat(http.get("v1/policy/dev", memberToken).statusCode()).as("every member reads it").isEqualTo(200);
        String stranger = Logins.accessToken(http, Logins.unique("stranger"), null);
        UsageIT.assertProblem(http.get("v1/policy/dev", stranger), 404, "nothing has been published");
        assertThat(http.get("v1/admin/policies/dev", stranger).body()).isEqualTo("[]");
    }

    @Test
    void aMirrorReplayingAnOlderOrAnotherOrgsPackIsRefusedAndTheCacheStaysTrue() throws Exception {
        Http http = http();
        String strangerToken = Logins.accessToken(http, Logins.unique("other-org"), null);
        assertThat(http.json("POST", "v1/admin/policies/dev", strangerToken, EMPTY).statusCode()).isEqualTo(201);
        String otherOrgsPack = http.get("v1/policy/dev", strangerToken).body();

        try (Mirror mirror = new Mirror(http.base())) {
            Cli ccp = new Cli(home, mirror.base());
            CliEndToEndIT.loggedIn(CliEndToEndIT.login(ccp, http, Logins.unique("mirrored")));
            ccp.run("policy", "use", "dev");
            String token = ccp.run("token").out().strip();
            http.json("POST", "v1/admin/policies/dev", token, EMPTY);
            String v1 = http.get("v1/policy/dev", token).body();
            http.json("POST", "v1/admin/policies/dev", token, NO_GPT);
            assertThat(ccp.run("policy", "reload").out()).contains("dev: version 2 is now in force");

            mirror.replay = v1;
            Cli.Result older = ccp.run("policy", "reload");
            assertThat(older.exit()).isEqualTo(10);
            assertThat(older.err()).contains("older than the active version 2");

            mirror.replay = otherOrgsPack;
            Cli.Result foreign = ccp.run("policy", "reload");
            assertThat(foreign.exit()).isEqualTo(10);
            assertThat(foreign.err()).contains("(wrong_org)");

            JsonNode status = Json.lenient().readTree(ccp.run("policy", "status", "--offline", "--json").out());
            assertThat(status.get("version").asLong()).isEqualTo(2);
            assertThat(status.get("source").asText()).isEqualTo("cache");

            Path cache = home.resolve("policies").resolve(PolicyPackCodec.unverifiedClaims(v1).org()).resolve("dev.jws");
            String pack = Files.readString(cache).strip();
            Files.writeString(cache, pack.substring(0, pack.length() - 8) + "AAAAAAAA");
            Cli.Result tampered = ccp.run("policy", "status", "--offline");
            assertThat(tampered.exit()).isEqualTo(10);
            assertThat(tampered.err()).contains("the cached policy pack was refused (bad_signature)");

            mirror.replay = null;
            assertThat(ccp.run("policy", "reload").out()).contains("dev: version 2 is now in force");
        }
    }
}
