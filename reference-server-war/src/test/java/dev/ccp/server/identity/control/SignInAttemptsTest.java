package dev.ccp.server.identity.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.server.testing.Fixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sign-in through a provider is finished once, by the page it began on, in time, and only after the provider vouched. */
class SignInAttemptsTest {

    @TempDir
    Path keys;
    Fixture f;
    final Identity ada = new Identity("ada@example.com", "ada");

    @BeforeEach
    void setUp() {
        f = new Fixture(keys);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private SignInAttempts.Started start() {
        return f.tx.call(em -> SignInAttempts.start(em, "github", "web", Map.of("org", "acme", "next", "/admin"), f.clock.instant()));
    }

    private Optional<SignInAttempts.Finished> finish(String state, String purpose) {
        return f.tx.call(em -> SignInAttempts.finish(em, state, purpose, f.clock.instant()));
    }

    private boolean vouch(String state) {
        return f.tx.call(em -> SignInAttempts.vouched(em, state, ada, f.clock.instant()));
    }

    @Test
    void aVouchedSignInIsFinishedOnceWithWhatItBeganWith() {
        SignInAttempts.Started started = start();
        SignInAttempts.Attempt waiting = f.tx.call(em -> SignInAttempts.waiting(em, started.state(), f.clock.instant())).orElseThrow();
        assertThat(SignInAttempts.challenge(waiting.verifier())).isEqualTo(started.challenge());
        assertThat(finish(started.state(), "web")).as("not before the provider vouched").isEmpty();

        assertThat(vouch(started.state())).isTrue();
        assertThat(vouch(started.state())).as("a replayed callback").isFalse();

        assertThat(finish(started.state(), "device")).as("another page").isEmpty();
        SignInAttempts.Finished finished = finish(started.state(), "web").orElseThrow();
        assertThat(finished.identity()).isEqualTo(ada);
        assertThat(finished.resume()).containsEntry("org", "acme").containsEntry("next", "/admin");
        assertThat(finish(started.state(), "web")).as("twice").isEmpty();
    }

    @Test
    void aSignInLeftAtTheProviderExpiresAndIsPruned() {
        SignInAttempts.Started started = start();
        f.clock.advance(SignInAttempts.TTL.plus(Duration.ofSeconds(1)));

        Optional<SignInAttempts.Attempt> waiting = f.tx.call(em -> SignInAttempts.waiting(em, started.state(), f.clock.instant()));
        assertThat(waiting).isEmpty();
        assertThat(vouch(started.state())).isFalse();
        int pruned = f.tx.call(em -> SignInAttempts.prune(em, f.clock.instant()));
        assertThat(pruned).isEqualTo(1);
    }

    @Test
    void anUnknownOrOverlongStateNamesNothing() {
        start();
        Optional<SignInAttempts.Attempt> unknown = f.tx.call(em -> SignInAttempts.waiting(em, "not-a-state", f.clock.instant()));
        assertThat(unknown).isEmpty();
        assertThat(finish("x".repeat(500), "web")).isEmpty();
        assertThat(finish(null, "web")).isEmpty();
    }
}
