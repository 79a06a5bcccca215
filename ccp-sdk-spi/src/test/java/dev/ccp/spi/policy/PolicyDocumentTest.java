package dev.ccp.spi.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PolicyDocumentTest {

    private final PolicyDocument vectors = PolicyDocument.of(PolicyVectors.DOCUMENT);
    private final PolicyDocument empty = PolicyDocument.of(PolicyVectors.json("{\"schema\":\"ccp.policy/v1\"}"));

    @Test
    void emptyPolicyRestrictsNothing() {
        assertThat(empty.allowsModel("any-model")).isTrue();
        assertThat(empty.mayOffload("glm-4.6", 0)).isTrue();
        assertThat(empty.deniesCommand("rm -rf /")).isFalse();
        assertThat(empty.deniesPath(".env")).isFalse();
        assertThat(empty.review().enabled()).isFalse();
    }

    @Test
    void denyWinsOverAllowAndUnlistedModelsAreRefused() {
        assertThat(vectors.allowsModel("claude-sonnet-4-5")).isTrue();
        assertThat(vectors.allowsModel("Claude-Sonnet-4-5")).isTrue();
        assertThat(vectors.allowsModel("claude-opus-5-preview")).isFalse();
        assertThat(vectors.allowsModel("gpt-5")).isFalse();
    }

    @Test
    void offloadNeedsAListedModelAndEnoughTokens() {
        assertThat(vectors.mayOffload("glm-4.6", 2000)).isTrue();
        assertThat(vectors.mayOffload("glm-4.6", 1999)).isFalse();
        assertThat(vectors.mayOffload("glm-4.5-air", 5000)).isFalse();
        PolicyDocument off = PolicyDocument.of(PolicyVectors.json("{\"schema\":\"ccp.policy/v1\",\"offload\":{\"allowed\":false}}"));
        assertThat(off.mayOffload("glm-4.6", 1_000_000)).isFalse();
    }

    @Test
    void commandsMatchTheWholeLineWithWhiteSpaceCollapsed() {
        assertThat(vectors.deniesCommand("rm  -rf   build")).isTrue();
        assertThat(vectors.deniesCommand("git push --force-with-lease")).isTrue();
        assertThat(vectors.deniesCommand("git push origin main")).isFalse();
        assertThat(vectors.deniesCommand("echo rm -rf x")).isFalse();
    }

    @Test
    void pathGlobsCrossFoldersOnlyWithTwoStars() {
        assertThat(vectors.deniesPath(".env")).isTrue();
        assertThat(vectors.deniesPath("app/config/.env")).isTrue();
        assertThat(vectors.deniesPath("./secrets/prod/key.txt")).isTrue();
        assertThat(vectors.deniesPath("server.pem")).isTrue();
        assertThat(vectors.deniesPath("certs/server.pem")).isFalse();
        assertThat(vectors.deniesPath("app\\config\\.env")).isTrue();
        assertThat(vectors.deniesPath("src/Main.java")).isFalse();
    }

    @Test
    void reviewRulesGetDefaults() {
        assertThat(vectors.review().enabled()).isTrue();
        assertThat(vectors.review().failOn()).isEqualTo("warning");
        assertThat(vectors.review().maxComments()).isEqualTo(50);
        assertThat(vectors.review().ignorePaths()).isEmpty();
    }

    @Test
    void unknownFieldsFromANewerServerAreIgnored() {
        PolicyDocument newer = PolicyDocument.of(PolicyVectors.json(
                "{\"schema\":\"ccp.policy/v1\",\"future\":1,\"models\":{\"deny\":[\"x\"],\"later\":true}}"));
        assertThat(newer.allowsModel("x")).isFalse();
    }

    @Test
    void anotherSchemaIsRefused() {
        assertThatThrownBy(() -> PolicyDocument.of(PolicyVectors.json("{\"schema\":\"ccp.policy/v2\"}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PolicyDocument.of(PolicyVectors.json("[]"))).isInstanceOf(IllegalArgumentException.class);
    }
}
