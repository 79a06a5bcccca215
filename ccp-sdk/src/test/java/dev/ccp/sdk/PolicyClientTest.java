package dev.ccp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.sdk.PolicyStatus.Source;
import dev.ccp.sdk.PolicyStatus.State;
import dev.ccp.spi.license.Ed25519Key;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.license.LicenseVectors;
import dev.ccp.spi.policy.PolicyDocument;
import dev.ccp.spi.policy.PolicyPackCodec;
import dev.ccp.spi.policy.PolicyVectors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PolicyClientTest extends ClientFixture {

    static final String EMPTY = "{\"schema\":\"ccp.policy/v1\"}";
    static final String BUILT_IN = KeyRing.of(LicenseVectors.KEY, PolicyVectors.KEY).toPublicJwks();
    static final String NO_GPT = "{\"schema\":\"ccp.policy/v1\",\"models\":{\"deny\":[\"gpt-*\"]}}";

    private CcpClient loggedIn() {
        CcpClient client = client();
        login(client);
        return client;
    }

    private Path cache(String channel) {
        return home.resolve("policies").resolve("acme").resolve(channel + ".jws");
    }

    @Test
    void reloadVerifiesActivatesAndCachesThePack() {
        server.policies.serve("dev", 1, NO_GPT);
        try (CcpClient client = loggedIn()) {
            PolicyClient policy = client.policy("dev");
            assertThat(policy.status().state()).isEqualTo(State.INITIALIZING);
            PolicyReload reload = policy.reload();
            assertThat(reload.changed()).isTrue();
            assertThat(reload.previousVersion()).isNull();
            PolicyStatus status = policy.status();
            assertThat(status.version()).isEqualTo(1);
            assertThat(status.source()).isEqualTo(Source.NETWORK);
            assertThat(status.state()).isEqualTo(State.CURRENT);
            assertThat(status.lastSuccess()).isEqualTo(clock.instant());
            assertThat(policy.current().orElseThrow().allowsModel("gpt-5")).isFalse();
            assertThat(Files.exists(cache("dev"))).isTrue();
            assertThat(server.policies.conditions).containsExactly("null null");
        }
    }

    @Test
    void aSecondReloadNamesThePackHeldAndSaysWhatChanged() {
        String first = server.policies.serve("dev", 1, EMPTY);
        try (CcpClient client = loggedIn()) {
            PolicyClient policy = client.policy("dev");
            policy.reload();
            assertThat(policy.reload().changed()).isFalse();
            server.policies.serve("dev", 2, NO_GPT);
            PolicyReload reload = policy.reload();
            assertThat(reload.changed()).isTrue();
            assertThat(reload.previousVersion()).isEqualTo(1);
            assertThat(reload.sections()).containsExactly("models");
            assertThat(server.policies.conditions.get(1))
                    .isEqualTo("\"" + PolicyPackCodec.etag(PolicyPackCodec.unverifiedClaims(first)) + "\" null");
        }
    }

    @Test
    void coldStartUsesTheVerifiedCacheAndKeepsItWhenTheServerIsGone() {
        server.policies.serve("dev", 3, NO_GPT);
        try (CcpClient client = loggedIn()) {
            client.policy("dev").reload();
        }
        server.close();
        try (CcpClient client = client()) {
            PolicyClient policy = client.policy("dev");
            assertThat(policy.status().source()).isEqualTo(Source.CACHE);
            assertThat(policy.status().version()).isEqualTo(3);
            assertThat(policy.status().state()).isEqualTo(State.INITIALIZING);
            assertThat(policy.current()).isPresent();
            assertThatThrownBy(policy::reload).isInstanceOfSatisfying(CcpException.class,
                    e -> assertThat(e.kind()).isEqualTo(CcpException.Kind.SERVER_UNREACHABLE));
            assertThat(policy.status().state()).isEqualTo(State.STALE);
            assertThat(policy.status().source()).isEqualTo(Source.CACHE);
            assertThat(policy.status().lastError()).contains("cannot connect");
        }
    }

    @Test
    void aTamperedCacheIsRefusedAndReported() throws Exception {
        server.policies.serve("dev", 1, NO_GPT);
        try (CcpClient client = loggedIn()) {
            client.policy("dev").reload();
        }
        String pack = Files.readString(cache("dev")).strip();
        String[] parts = pack.split("\\.");
        String forged = parts[0] + "." + server.policies.sign("dev", 9, EMPTY).split("\\.")[1] + "." + parts[2];
        Files.writeString(cache("dev"), forged);
        try (CcpClient client = client()) {
            PolicyStatus status = client.policy("dev").status();
            assertThat(status.hasPolicy()).isFalse();
            assertThat(status.state()).isEqualTo(State.FAILED);
            assertThat(status.lastError()).contains("cached policy pack was refused (bad_signature)");
        }
    }

    @Test
    void anOlderVersionIsRefusedAndTheActiveOneKept() {
        server.policies.serve("dev", 3, NO_GPT);
        try (CcpClient client = loggedIn()) {
            PolicyClient policy = client.policy("dev");
            policy.reload();
            server.policies.serve("dev", 2, EMPTY);
            assertThatThrownBy(policy::reload).isInstanceOfSatisfying(CcpException.class, e -> {
                assertThat(e.kind()).isEqualTo(CcpException.Kind.POLICY_INVALID);
                assertThat(e.getMessage()).contains("older than the active version 3");
            });
            assertThat(policy.status().version()).isEqualTo(3);
            assertThat(policy.status().state()).isEqualTo(State.STALE);
            assertThat(policy.current().orElseThrow().allowsModel("gpt-5")).isFalse();
        }
    }

    @Test
    void anotherOrgsAnotherChannelsAnExpiredOrAnUnknownKeysPackIsRefused() {
        try (CcpClient client = loggedIn()) {
            PolicyClient policy = client.policy("dev");
            server.policies.serve(server.policies.sign("globex", "dev", 1, EMPTY, clock.instant()));
            assertRefused(policy, "(wrong_org)");
            server.policies.serve(server.policies.sign("acme", "dev", 1, EMPTY, clock.instant().minus(Duration.ofDays(2))));
            assertRefused(policy, "(expired)");
            server.policies.signingKey = Ed25519Key.generate("policy");
            server.policies.serve("dev", 1, EMPTY);
            assertRefused(policy, "(unknown_key)");
            server.policies.signingKey = Ed25519Key.fromJwk(new com.nimbusds.jose.jwk.OctetKeyPair.Builder(
                    PolicyVectors.WRONG_KEY.toPrivateJwk()).build());
            server.policies.serve("dev", 1, EMPTY);
            assertRefused(policy, "(bad_signature)");
            assertThat(policy.status().hasPolicy()).isFalse();
            assertThat(Files.exists(cache("dev"))).as("nothing unverified is cached").isFalse();
        }
    }

    private static void assertRefused(PolicyClient policy, String why) {
        assertThatThrownBy(policy::reload).isInstanceOfSatisfying(CcpException.class, e -> {
            assertThat(e.kind()).isEqualTo(CcpException.Kind.POLICY_INVALID);
            assertThat(e.getMessage()).contains(why);
        });
        assertThat(policy.status().lastError()).contains(why);
    }

    @Test
    void theSameVersionSignedAgainExtendsTheExpiryButAnotherDocumentUnderItIsRefused() {
        server.policies.serve("dev", 1, NO_GPT);
        try (CcpClient client = loggedIn()) {
            PolicyClient policy = client.policy("dev");
            policy.reload();
            var firstExpiry = policy.status().expiresAt();
            clock.advance(Duration.ofHours(13));
            server.policies.serve("dev", 1, NO_GPT);
            assertThat(policy.reload().changed()).isFalse();
            assertThat(policy.status().expiresAt()).isAfter(firstExpiry);
            clock.advance(Duration.ofSeconds(1));
            server.policies.serve("dev", 1, EMPTY);
            assertRefused(policy, "another document");
            clock.advance(Duration.ofHours(30));
            assertThat(policy.status().state()).as("an expired active pack is stale").isEqualTo(State.STALE);
        }
    }

    @Test
    void aLongPollHotReloadsAndCallsListeners() throws Exception {
        BlockingQueue<Long> versions = new LinkedBlockingQueue<>();
        BlockingQueue<State> states = new LinkedBlockingQueue<>();
        try (CcpClient client = builder().policyWait(Duration.ofSeconds(2)).build()) {
            login(client);
            PolicyClient policy = client.policy("dev");
            policy.addListener(new PolicyListener() {
                @Override
                public void onPolicyChanged(PolicyDocument document, PolicyStatus status) {
                    versions.add(status.version());
                    throw new IllegalStateException("a host's listener failing changes nothing");
                }

                @Override
                public void onStatusChanged(PolicyStatus status) {
                    states.add(status.state());
                }
            });
            policy.start().start();
            server.policies.serve("dev", 1, EMPTY);
            assertThat(versions.poll(20, TimeUnit.SECONDS)).isEqualTo(1);
            server.policies.serve("dev", 2, NO_GPT);
            assertThat(versions.poll(20, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(policy.current().orElseThrow().allowsModel("gpt-5")).isFalse();
            assertThat(states).contains(State.CURRENT);
            assertThat(server.policies.conditions).anyMatch(c -> c.endsWith("wait=2"));
        }
    }

    @Test
    void aBundledPackServesAFirstStartWithoutNetwork() {
        String bundled = server.policies.sign("acme", "prod", 4, NO_GPT, clock.instant().minus(Duration.ofDays(30)));
        try (CcpClient client = builder().trustedKeys(BUILT_IN).policyBootstrap(bundled).offline(true).build()) {
            PolicyStatus status = client.policy("prod").status();
            assertThat(status.source()).isEqualTo(Source.BOOTSTRAP);
            assertThat(status.version()).isEqualTo(4);
            assertThat(status.state()).isEqualTo(State.STALE);
            assertThat(client.policy("prod").current().orElseThrow().allowsModel("gpt-5")).isFalse();
            assertThatThrownBy(client.policy("prod")::reload).isInstanceOf(CcpException.class);
            assertThat(client.policy("dev").status().state()).isEqualTo(State.FAILED);
        }
    }

    @Test
    void aForgedBundledPackIsRefused() {
        server.policies.signingKey = Ed25519Key.generate("policy");
        String forged = server.policies.sign("acme", "prod", 1, EMPTY, clock.instant());
        try (CcpClient client = builder().trustedKeys(BUILT_IN).policyBootstrap(forged).offline(true).build()) {
            assertThat(client.policy("prod").status().hasPolicy()).isFalse();
            assertThat(client.policy("prod").status().lastError()).contains("bundled policy pack was refused (unknown_key)");
        }
    }

    @Test
    void pinsTakenBeforeTheServerSignedPoliciesGainItsPolicyKeys() {
        server.policyKeys = List.of();
        try (CcpClient client = loggedIn()) {
            server.policyKeys = List.of(PolicyVectors.KEY);
            server.policies.serve("dev", 1, EMPTY);
            assertThat(client.policy("dev").reload().changed()).isTrue();
            assertThat(new String(readPins(), StandardCharsets.UTF_8)).contains("policy-test");
        }
    }

    private byte[] readPins() {
        try {
            return Files.readAllBytes(home.resolve("pins.json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void damagedCredentialsAreReportedNotThrown() throws Exception {
        Files.writeString(home.resolve("credentials.json"), "{not json");
        try (CcpClient client = client()) {
            PolicyStatus status = client.policy("dev").status();
            assertThat(status.state()).isEqualTo(State.FAILED);
            assertThat(status.errorKind()).isEqualTo(CcpException.Kind.IO);
        }
    }

    @Test
    void theChosenChannelIsKept() {
        try (CcpClient client = client()) {
            assertThat(client.policyChannel()).isEqualTo("prod");
            client.usePolicyChannel("dev");
            assertThatThrownBy(() -> client.usePolicyChannel("staging")).isInstanceOf(IllegalArgumentException.class);
        }
        try (CcpClient client = client()) {
            assertThat(client.policyChannel()).isEqualTo("dev");
            assertThat(client.policy().channel()).isEqualTo("dev");
            assertThat(client.policy()).isSameAs(client.policy("dev"));
        }
    }

    @Test
    void adminsPublishAndPromoteAndTheServersRefusalsComeBackWithTheirFields() {
        try (CcpClient client = loggedIn()) {
            assertThat(client.publishPolicy("dev", NO_GPT).version()).isEqualTo(1);
            assertThat(client.promotePolicy(1).promotedFrom()).isEqualTo(1L);
            assertThatThrownBy(() -> client.publishPolicy("dev", "{\"schema\":\"ccp.policy/v1\",\"modles\":{}}"))
                    .isInstanceOfSatisfying(CcpException.class, e -> {
                        assertThat(e.kind()).isEqualTo(CcpException.Kind.BAD_REQUEST);
                        assertThat(e.problem().orElseThrow().errors()).extracting(f -> f.pointer()).containsExactly("/modles");
                    });
            server.adminOnly = true;
            assertThatThrownBy(() -> client.publishPolicy("dev", EMPTY)).isInstanceOfSatisfying(CcpException.class,
                    e -> assertThat(e.kind()).isEqualTo(CcpException.Kind.FORBIDDEN));
        }
    }
}
