package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.spi.wire.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PolicyCommandTest extends CliFixture {

    static final String EMPTY = "{\"schema\":\"ccp.policy/v1\"}";
    static final String NO_GPT = "{\"schema\":\"ccp.policy/v1\",\"models\":{\"deny\":[\"gpt-*\"]}}";

    private Path cache(String channel) {
        return home.resolve("policies").resolve("acme").resolve(channel + ".jws");
    }

    @Test
    void statusShowsTheVersionFromTheNetworkThenFromTheCacheWhenTheServerIsGone() throws Exception {
        login();
        server.policies.serve("prod", 2, NO_GPT);

        Run online = ccp("policy", "status", "--json");
        assertThat(online.exit()).as(online.err()).isZero();
        JsonNode json = Json.lenient().readTree(online.out());
        assertThat(json.get("channel").asText()).isEqualTo("prod");
        assertThat(json.get("version").asLong()).isEqualTo(2);
        assertThat(json.get("source").asText()).isEqualTo("network");
        assertThat(json.get("state").asText()).isEqualTo("CURRENT");
        assertThat(json.get("fetched_at").asText()).isEqualTo(clock.instant().toString());

        server.close();
        Run offline = ccp("policy", "status");
        assertThat(offline.exit()).isZero();
        assertThat(offline.outLines().get(0)).isEqualTo("Policy prod: version 2 from cache");
        assertThat(offline.out()).contains("State:        stale").contains("Last error:   cannot connect");
    }

    @Test
    void aTamperedCacheIsReportedAndExitsTen() throws Exception {
        login();
        server.policies.serve("prod", 1, NO_GPT);
        assertThat(ccp("policy", "reload").outLines()).containsExactly("prod: version 1 is now in force");
        String pack = Files.readString(cache("prod")).strip();
        Files.writeString(cache("prod"), pack.substring(0, pack.length() - 6) + "AAAAAA");

        Run run = ccp("policy", "status", "--offline");

        assertThat(run.exit()).isEqualTo(10);
        assertThat(run.out()).contains("Policy prod: none in force").contains("State:        failed");
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("ccp: the cached policy pack was refused (bad_signature)")
                .endsWith("the policy in force stays; tell the server's operator if it persists");
    }

    @Test
    void reloadSaysWhatChangedAndRefusesAnOlderVersion() {
        login();
        server.policies.serve("dev", 1, EMPTY);
        assertThat(ccp("policy", "use", "dev").outLines())
                .containsExactly("Following the dev policy channel; run `ccp policy reload` to fetch it now");
        assertThat(ccp("policy", "reload").outLines()).containsExactly("dev: version 1 is now in force");
        assertThat(ccp("policy", "reload").outLines()).containsExactly("dev: version 1, unchanged");
        server.policies.serve("dev", 2, NO_GPT);
        assertThat(ccp("policy", "reload").outLines()).containsExactly("dev: version 1 → 2 (changed: models)");

        server.policies.serve("dev", 1, EMPTY);
        Run rollback = ccp("policy", "reload");
        assertThat(rollback.exit()).isEqualTo(10);
        assertThat(rollback.err()).contains("older than the active version 2");
        assertThat(ccp("policy", "status", "--offline", "--json").out()).contains("\"version\" : 2");
    }

    @Test
    void anUnknownChannelIsAUsageError() {
        Run run = ccp("policy", "use", "staging");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("ccp: unknown channel 'staging' — the channels are dev and prod");
    }

    @Test
    void adminsPublishPromoteAndSeeRefusedFields() throws Exception {
        login();
        Path file = Files.createDirectories(home.resolve("files")).resolve("policy.json");
        Files.writeString(file, NO_GPT);

        Run published = ccp("policy", "publish", "--channel", "dev", file.toString());
        assertThat(published.exit()).as(published.err()).isZero();
        assertThat(published.outLines()).singleElement().asString().startsWith("Published dev version 1 (sha256 ");
        assertThat(server.policies.published).containsExactly(NO_GPT);

        assertThat(ccp("policy", "promote", "1").outLines()).containsExactly("Promoted dev version 1 to prod version 1");

        Files.writeString(file, "{\"schema\":\"ccp.policy/v1\",\"modles\":{}}");
        Run invalid = ccp("policy", "publish", file.toString());
        assertThat(invalid.exit()).isEqualTo(9);
        assertThat(invalid.errLines()).containsExactly("ccp: /modles is not a field of ccp.policy/v1");

        Run missing = ccp("policy", "publish", home.resolve("nope.json").toString());
        assertThat(missing.exit()).isEqualTo(2);

        server.adminOnly = true;
        Run member = ccp("policy", "publish", file.toString());
        assertThat(member.exit()).isEqualTo(6);
    }
}
