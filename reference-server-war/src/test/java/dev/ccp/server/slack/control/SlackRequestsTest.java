package dev.ccp.server.slack.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.testing.Fixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slack's v0 request signatures: the right secret, a fresh timestamp either way, and each request once. */
class SlackRequestsTest {

    /** Slack's published example: signing secret, timestamp, body and the signature they give. */
    static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final long TIMESTAMP = 1531420618;
    static final String BODY = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
            + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
            + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
            + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    static final String SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    @TempDir
    Path keys;
    Fixture f;
    final SlackRequests slack = new SlackRequests(SECRET);

    @BeforeEach
    void setUp() {
        f = new Fixture(keys);
        f.clock.set(java.time.Instant.ofEpochSecond(TIMESTAMP).plusSeconds(30));
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private void verify(String timestamp, String signature, String body) {
        f.tx.run(em -> slack.verify(em, timestamp, signature, body.getBytes(StandardCharsets.UTF_8), f.clock.instant()));
    }

    @Test
    void slacksPublishedExampleIsSignedAsSlackSaysAndTakenOnce() {
        assertThat(slack.sign(TIMESTAMP, BODY.getBytes(StandardCharsets.UTF_8))).isEqualTo(SIGNATURE);
        assertThatCode(() -> verify(Long.toString(TIMESTAMP), SIGNATURE, BODY)).doesNotThrowAnyException();
        assertRefused(() -> verify(Long.toString(TIMESTAMP), SIGNATURE, BODY), "received before");
    }

    @Test
    void anotherBodySecretOrTimestampIsRefused() {
        assertRefused(() -> verify(Long.toString(TIMESTAMP), SIGNATURE, BODY + "&text=x"), "does not match");
        assertRefused(() -> verify(Long.toString(TIMESTAMP + 1), SIGNATURE, BODY), "does not match");
        String other = new SlackRequests("another-secret").sign(TIMESTAMP, BODY.getBytes(StandardCharsets.UTF_8));
        assertRefused(() -> verify(Long.toString(TIMESTAMP), other, BODY), "does not match");
        assertRefused(() -> verify(null, SIGNATURE, BODY), "not signed");
        assertRefused(() -> verify(Long.toString(TIMESTAMP), null, BODY), "not signed");
        assertRefused(() -> verify("soon", SIGNATURE, BODY), "seconds since 1970");
        assertRefused(() -> verify(Long.toString(TIMESTAMP), "v0=" + "0".repeat(64), BODY), "does not match");
        // None of the refusals took the signature: the genuine request still goes through once.
        assertThatCode(() -> verify(Long.toString(TIMESTAMP), SIGNATURE, BODY)).doesNotThrowAnyException();
    }

    @Test
    void timestampsMoreThanFiveMinutesOffEitherWayAreRefused() {
        f.clock.set(java.time.Instant.ofEpochSecond(TIMESTAMP).plus(Duration.ofMinutes(5)).plusSeconds(1));
        assertRefused(() -> verify(Long.toString(TIMESTAMP), SIGNATURE, BODY), "minutes off");
        f.clock.set(java.time.Instant.ofEpochSecond(TIMESTAMP).minus(Duration.ofMinutes(5)).minusSeconds(1));
        assertRefused(() -> verify(Long.toString(TIMESTAMP), SIGNATURE, BODY), "minutes off");
        f.clock.set(java.time.Instant.ofEpochSecond(TIMESTAMP).minus(Duration.ofMinutes(5)));
        assertThatCode(() -> verify(Long.toString(TIMESTAMP), SIGNATURE, BODY)).doesNotThrowAnyException();
    }

    @Test
    void seenSignaturesAreForgottenOnceTheirTimestampWouldBeRefusedAnyway() {
        verify(Long.toString(TIMESTAMP), SIGNATURE, BODY);
        f.clock.set(f.clock.instant().plus(Duration.ofMinutes(9)));
        assertThat((int) f.tx.call(em -> SlackRequests.prune(em, f.clock.instant()))).isZero();
        f.clock.set(f.clock.instant().plus(Duration.ofMinutes(2)));
        assertThat((int) f.tx.call(em -> SlackRequests.prune(em, f.clock.instant()))).isEqualTo(1);
    }

    private static void assertRefused(Runnable call, String detail) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(401);
            assertThat(e.problem().detail()).contains(detail);
        });
    }
}
