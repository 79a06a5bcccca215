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
    static final String BODY = fixture("slash-command.txt");
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

    static String fixture(String name) {
        try (java.io.InputStream in = SlackRequestsTest.class.getResourceAsStream("/slack/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void slacksExampleCommandIsReadFieldByFieldAndAFormThatNamesAFieldTwiceIsRefused() {
        SlackCommands.Command command = SlackCommands.Command.of(SlackRequests.form(BODY.getBytes(StandardCharsets.UTF_8)));
        assertThat(command.teamId()).isEqualTo("T1DC2JH3J");
        assertThat(command.command()).isEqualTo("/webhook-collect");
        assertThat(command.text()).isEmpty();
        assertThat(command.responseUrl()).isEqualTo("https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN");

        assertThatThrownBy(() -> SlackRequests.form("a=1&a=2".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ProblemException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> SlackRequests.form("a=%zz".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ProblemException.class).hasMessageContaining("form encoding");
        assertThatThrownBy(() -> SlackCommands.Command.of(SlackRequests.form("team_id=T1&user_id=U1&command=%2Fccp".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(ProblemException.class).hasMessageContaining("channel_id");
    }

    @Test
    void slacksExampleBlockActionsPayloadGivesItsPressAndOtherKindsGiveNone() {
        String payload = fixture("block-actions.json");
        java.util.List<SlackInteractions.Press> presses = SlackInteractions.presses(java.util.Map.of("payload", payload));
        assertThat(presses).singleElement().satisfies(p -> {
            assertThat(p.teamId()).isEqualTo("T9TK3CUKW");
            assertThat(p.userId()).isEqualTo("UA8RXUSPL");
            assertThat(p.actionId()).isEqualTo("WaXA");
            assertThat(p.value()).isEqualTo("click_me_123");
            assertThat(p.responseUrl()).startsWith("https://hooks.slack.com/actions/");
        });
        assertThat(SlackInteractions.presses(java.util.Map.of("payload", "{\"type\":\"view_submission\"}"))).isEmpty();
        assertThatThrownBy(() -> SlackInteractions.presses(java.util.Map.of("payload", "[1,2]")))
                .isInstanceOf(ProblemException.class).hasMessageContaining("no type");
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
