package dev.ccp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.spi.store.CredentialStore;
import dev.ccp.spi.store.Credentials;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TokenRefreshTest extends ClientFixture {

    @Test
    void accessTokenIsReusedWhileItIsFresh() {
        login(client());

        assertThat(client().accessToken()).isEqualTo("at-1");
        assertThat(server.refreshes).hasValue(0);
    }

    @Test
    void accessTokenIsRenewedWithinAMinuteOfExpiryAndTheRotatedRefreshTokenIsStored() throws Exception {
        login(client());
        clock.advance(Duration.ofSeconds(server.accessTtl - 59));

        String renewed = client().accessToken();

        assertThat(renewed).isEqualTo("at-2");
        assertThat(server.refreshes).hasValue(1);
        assertThat(Files.readString(home.resolve("credentials.json"))).contains("rt-2").doesNotContain("rt-1");
    }

    @Test
    void concurrentCallersRotateOnlyOnce() throws Exception {
        login(client());
        clock.advance(Duration.ofHours(2));
        CcpClient shared = client();
        CcpClient other = client();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> tokens = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Callable<String> call = (i % 2 == 0 ? shared : other)::accessToken;
                tokens.add(pool.submit(call));
            }
            for (Future<String> token : tokens) {
                assertThat(token.get()).isEqualTo("at-2");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.refreshes).hasValue(1);
    }

    @Test
    void revokedSessionIsUnauthorized() {
        login(client());
        server.revokeAll();
        clock.advance(Duration.ofHours(2));

        assertThatThrownBy(() -> client().accessToken())
                .isInstanceOfSatisfying(CcpException.class, e -> assertThat(e.kind()).isEqualTo(CcpException.Kind.UNAUTHORIZED));
    }

    @Test
    void aTokenRefusedBeforeItsExpiryIsRenewedOnceAndTheCallRepeated() {
        login(client());
        server.forgetAccessTokens();

        assertThat(client().me().login()).isEqualTo("alice@example.com");
        assertThat(server.refreshes).hasValue(1);
    }

    @Test
    void notLoggedInIsNotLoggedIn() {
        assertThatThrownBy(() -> client().accessToken())
                .isInstanceOfSatisfying(CcpException.class, e -> assertThat(e.kind()).isEqualTo(CcpException.Kind.NOT_LOGGED_IN));
    }

    @Test
    void aSessionForAnotherServerDoesNotCount() {
        login(client());

        CcpClient elsewhere = CcpClient.builder().server(java.net.URI.create("https://other.example")).home(home).clock(clock).build();

        assertThat(elsewhere.account()).isEmpty();
        assertThatThrownBy(elsewhere::me)
                .isInstanceOfSatisfying(CcpException.class, e -> assertThat(e.kind()).isEqualTo(CcpException.Kind.NOT_LOGGED_IN));
    }

    @Test
    void aSessionAnotherProcessOpenedOnAnotherServerMeanwhileIsNeverSentHere() {
        Instant expired = clock.instant().minusSeconds(1);
        SwitchingStore store = new SwitchingStore(
                new Credentials(server.uri().toString(), "at-x", expired, "rt-x", "alice@example.com", "acme"),
                new Credentials("https://y.example", "at-y", expired, "rt-y", "alice@example.com", "widgets"));
        CcpClient client = builder().credentialStore(store).build();

        assertThatThrownBy(client::accessToken)
                .isInstanceOfSatisfying(CcpException.class, e -> assertThat(e.kind()).isEqualTo(CcpException.Kind.NOT_LOGGED_IN));
        assertThat(server.forms).noneSatisfy(form -> assertThat(form).containsValue("rt-y"));
        assertThat(server.requests).isEmpty();
    }

    /** Answers the first load with one session, and every later load with another, as if someone logged in between. */
    private static final class SwitchingStore implements CredentialStore {
        private final Deque<Credentials> answers;

        SwitchingStore(Credentials first, Credentials later) {
            this.answers = new ArrayDeque<>(List.of(first, later));
        }

        @Override
        public synchronized Optional<Credentials> load() {
            return Optional.of(answers.size() > 1 ? answers.poll() : answers.peek());
        }

        @Override
        public void save(Credentials credentials) {
            throw new AssertionError("nothing should be saved");
        }

        @Override
        public void delete() {
            throw new AssertionError("nothing should be deleted");
        }
    }
}
