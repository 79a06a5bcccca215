package dev.ccp.server.policy.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.keys.control.KeyPurpose;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.policy.entity.PolicyHead;
import dev.ccp.server.testing.Fixture;
import dev.ccp.spi.policy.PolicyPackCodec;
import dev.ccp.spi.policy.PolicyVerification;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.Problem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoliciesTest {

    static final String EMPTY = "{\"schema\":\"ccp.policy/v1\"}";
    static final String NO_GPT = "{\"schema\":\"ccp.policy/v1\",\"models\":{\"deny\":[\"gpt-*\"]}}";

    @TempDir
    Path keys;
    Fixture f;
    Policies policies;
    PolicyWatch watch;
    Principal ada;
    String slug;

    @BeforeEach
    void setUp() {
        f = new Fixture(keys);
        policies = f.controls.policies;
        watch = new PolicyWatch(f.database.dataSource());
        ada = f.signIn("ada@example.com");
        slug = f.slugOf(ada);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private Policies.Published publish(String channel, String document) {
        JsonNode json = json(document);
        return f.tx.call(em -> policies.publish(em, em.find(Org.class, ada.orgId()), ada.userId(), channel, json,
                Fixture.ISSUER, f.clock.instant()));
    }

    private PolicyHead head(String channel) {
        return f.tx.call(em -> policies.current(em, ada.orgId(), channel, f.clock.instant()).orElseThrow());
    }

    private List<Problem.FieldError> errors(String document) {
        try {
            publish("dev", document);
        } catch (ProblemException e) {
            assertThat(e.problem().status()).isEqualTo(400);
            assertThat(e.problem().slug()).isEqualTo("invalid-policy");
            return e.problem().errors();
        }
        throw new AssertionError("accepted " + document);
    }

    @Test
    void versionsGoUpPerChannelAndTheSameDocumentMakesNoNewOne() {
        assertThat(publish("dev", EMPTY).version().version()).isEqualTo(1);
        assertThat(publish("dev", NO_GPT).version().version()).isEqualTo(2);
        Policies.Published again = publish("dev", NO_GPT.replace("{\"deny\"", "{ \"deny\""));
        assertThat(again.created()).isFalse();
        assertThat(again.version().version()).isEqualTo(2);
        assertThat(publish("prod", NO_GPT).version().version()).isEqualTo(1);
        assertThat(publish("dev", EMPTY).version().version()).as("a rollback is a new version").isEqualTo(3);
        assertThat(f.tx.call(em -> policies.history(em, ada.orgId(), "dev", 10)).stream().map(v -> v.version()))
                .containsExactly(3L, 2L, 1L);
    }

    @Test
    void thePackIsSignedWithThePolicyKeyForTheOrgAndChannel() {
        publish("dev", NO_GPT);
        PolicyHead head = head("dev");
        PolicyVerification v = new PolicyPackCodec().verify(head.pack(), f.keys.verifiers(KeyPurpose.POLICY), slug, "dev",
                f.clock.instant());
        assertThat(v.result()).isEqualTo(PolicyVerification.Result.VALID);
        assertThat(v.claims().version()).isEqualTo(1);
        assertThat(v.claims().iss()).isEqualTo(Fixture.ISSUER);
        assertThat(v.document().allowsModel("gpt-5")).isFalse();
        assertThat(v.claims().expiresAt()).isEqualTo(f.clock.instant().plus(Duration.ofHours(24)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    @Test
    void promotionMakesProdsNextVersionFromADevVersion() {
        publish("dev", EMPTY);
        publish("dev", NO_GPT);
        publish("prod", EMPTY);
        Policies.Published promoted = f.tx.call(em -> policies.promote(em, em.find(Org.class, ada.orgId()), ada.userId(), 2,
                Fixture.ISSUER, f.clock.instant()));
        assertThat(promoted.version().version()).isEqualTo(2);
        assertThat(promoted.version().promotedFrom()).isEqualTo(2L);
        assertThat(promoted.version().document()).isEqualTo(PolicyPackCodec.canonical(json(NO_GPT)));
        assertThatThrownBy(() -> f.tx.call(em -> policies.promote(em, em.find(Org.class, ada.orgId()), ada.userId(), 9,
                Fixture.ISSUER, f.clock.instant())))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(404));
    }

    @Test
    void aPackIsSignedAgainOnceHalfItsLifetimeIsGone() {
        publish("dev", NO_GPT);
        PolicyHead first = head("dev");
        f.clock.advance(Duration.ofHours(11));
        assertThat(head("dev").etag()).isEqualTo(first.etag());
        f.clock.advance(Duration.ofHours(2));
        PolicyHead refreshed = head("dev");
        assertThat(refreshed.etag()).isNotEqualTo(first.etag());
        assertThat(refreshed.version()).isEqualTo(1);
        assertThat(refreshed.expiresAt()).isAfter(first.expiresAt());
        assertThat(PolicyPackCodec.unverifiedClaims(refreshed.pack()).policy()).isEqualTo(json(NO_GPT));
    }

    @Test
    void schemaErrorsPointAtTheOffendingField() {
        assertThat(errors("{\"schema\":\"ccp.policy/v1\",\"modles\":{}}"))
                .extracting(Problem.FieldError::pointer).containsExactly("/modles");
        assertThat(errors("{\"schema\":\"ccp.policy/v1\",\"models\":{\"allow\":[\"ok\",\"Bad Model\"]}}"))
                .extracting(Problem.FieldError::pointer).containsExactly("/models/allow/1");
        assertThat(errors("{\"schema\":\"ccp.policy/v1\",\"offload\":{\"min_tokens_in\":-1}}"))
                .extracting(Problem.FieldError::pointer).containsExactly("/offload/min_tokens_in");
        assertThat(errors("{\"schema\":\"ccp.policy/v2\"}"))
                .extracting(Problem.FieldError::pointer).containsExactly("/schema");
        assertThat(errors("{\"models\":{}}")).extracting(Problem.FieldError::pointer).containsExactly("/schema");
        assertThat(errors("{\"schema\":\"ccp.policy/v1\",\"review\":{\"fail_on\":\"sometimes\"}}").get(0).detail())
                .isNotBlank();
        assertThat(errors("{\"schema\":\"ccp.policy/v1\",\"review\":{\"fail_on\":1e400,\"max_comments\":-1e400}}"))
                .extracting(Problem.FieldError::pointer).containsExactly("/review/fail_on", "/review/max_comments");
    }

    @Test
    void unknownChannelIsNotFound() {
        assertThatThrownBy(() -> publish("staging", EMPTY))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(404));
    }

    @Test
    void theWatchWakesWaitersOfAChannelThatMovedOnWhicheverNodePublished() throws Exception {
        publish("dev", EMPTY);
        String key = PolicyHead.key(ada.orgId(), "dev");
        String held = head("dev").etag();
        List<PolicyWatch.Head> woken = new ArrayList<>();
        watch.await(key, held, System.nanoTime(), woken::add);
        watch.await(PolicyHead.key(ada.orgId(), "prod"), null, System.nanoTime(), woken::add);
        watch.poll();
        assertThat(woken).isEmpty();

        publish("dev", NO_GPT);
        watch.poll();
        assertThat(woken).extracting(PolicyWatch.Head::version).containsExactly(2L);
        assertThat(watch.waiting()).isEqualTo(1);
        watch.poll();
        assertThat(woken).hasSize(1);

        publish("prod", EMPTY);
        watch.poll();
        assertThat(woken).extracting(PolicyWatch.Head::version).containsExactly(2L, 1L);
        assertThat(watch.waiting()).isZero();
    }

    @Test
    void wokenWaitersAreAnsweredInSharesOnTheExecutorNotByTheThreadThatWokeThem() {
        publish("dev", EMPTY);
        String key = PolicyHead.key(ada.orgId(), "dev");
        String held = head("dev").etag();
        List<Runnable> tasks = new ArrayList<>();
        watch.answerOn(tasks::add);
        List<PolicyWatch.Head> woken = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 120; i++) {
            watch.await(key, held, System.nanoTime(), woken::add);
        }

        publish("dev", NO_GPT);
        watch.poll();

        assertThat(woken).isEmpty();
        assertThat(watch.waiting()).isZero();
        assertThat(tasks).hasSize(3);
        tasks.forEach(Runnable::run);
        assertThat(woken).hasSize(120).extracting(PolicyWatch.Head::version).containsOnly(2L);
    }

    @Test
    void aWaiterThatCannotBeAnsweredKeepsNoOtherWaiting() {
        publish("dev", EMPTY);
        String key = PolicyHead.key(ada.orgId(), "dev");
        String held = head("dev").etag();
        watch.answerOn(task -> {
            throw new java.util.concurrent.RejectedExecutionException("shutting down");
        });
        List<PolicyWatch.Head> woken = new ArrayList<>();
        watch.await(key, held, System.nanoTime(), woken::add);
        watch.await(key, held, System.nanoTime(), head -> {
            throw new IllegalStateException("the client has gone");
        });
        watch.await(key, held, System.nanoTime(), woken::add);

        publish("dev", NO_GPT);
        watch.poll();

        assertThat(woken).hasSize(2);
        assertThat(watch.waiting()).isZero();
    }

    @Test
    void closingTheWatchLetsEveryWaiterGo() {
        List<PolicyWatch.Head> woken = new ArrayList<>();
        PolicyWatch.Waiter<PolicyWatch.Head> cancelled = watch.await("k1", "e", System.nanoTime(), woken::add);
        watch.await("k2", "e", System.nanoTime(), woken::add);
        watch.cancel(cancelled);
        watch.close();
        assertThat(woken).containsExactly((PolicyWatch.Head) null);
    }

    private static JsonNode json(String text) {
        try {
            return Json.lenient().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
