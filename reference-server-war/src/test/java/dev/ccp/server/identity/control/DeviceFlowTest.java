package dev.ccp.server.identity.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.server.identity.entity.DeviceGrant;
import dev.ccp.server.testing.Fixture;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceFlowTest {

    @TempDir
    Path keys;
    Fixture f;

    @BeforeEach
    void setUp() {
        f = new Fixture(keys);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private DeviceFlow.Started start() {
        return f.tx.call(em -> f.deviceFlow.start(em, "ccp", null, null, f.clock.instant()));
    }

    private DeviceFlow.Poll poll(String deviceCode) {
        return f.tx.call(em -> f.deviceFlow.poll(em, deviceCode, "ccp", f.clock.instant()));
    }

    private boolean stillPending(String userCode) {
        Boolean pending = f.tx.call(em -> f.deviceFlow.pending(em, userCode, f.clock.instant()).isPresent());
        return pending;
    }

    private String error(DeviceFlow.Poll poll) {
        return poll.error() == null ? null : poll.error().error();
    }

    @Test
    void pollingAtTheIntervalStaysPending() {
        DeviceFlow.Started started = start();
        assertThat(error(poll(started.deviceCode()))).isEqualTo("authorization_pending");
        f.clock.advance(Duration.ofSeconds(5));
        assertThat(error(poll(started.deviceCode()))).isEqualTo("authorization_pending");
    }

    @Test
    void pollingFasterThanTheIntervalSlowsDownByFiveSeconds() {
        DeviceFlow.Started started = start();
        poll(started.deviceCode());
        f.clock.advance(Duration.ofSeconds(2));
        assertThat(error(poll(started.deviceCode()))).isEqualTo("slow_down");

        f.clock.advance(Duration.ofSeconds(10));
        assertThat(error(poll(started.deviceCode()))).as("the interval is now 10 s").isEqualTo("authorization_pending");
        f.clock.advance(Duration.ofSeconds(5));
        assertThat(error(poll(started.deviceCode()))).as("5 s is too fast for 10 s").isEqualTo("slow_down");
        f.clock.advance(Duration.ofSeconds(15));
        assertThat(error(poll(started.deviceCode()))).as("and now it is 15 s").isEqualTo("authorization_pending");
    }

    @Test
    void codesExpire() {
        DeviceFlow.Started started = start();
        f.clock.advance(Duration.ofMinutes(11));
        assertThat(error(poll(started.deviceCode()))).isEqualTo("expired_token");
        assertThat(stillPending(started.grant().userCode())).isFalse();
    }

    @Test
    void approvedGrantIsExchangedExactlyOnce() {
        DeviceFlow.Started started = start();
        Principal ada = f.signIn("ada@example.com");
        f.tx.run(em -> f.deviceFlow.pending(em, UserCodes.display(started.grant().userCode()).toLowerCase(), f.clock.instant())
                .orElseThrow().approve(ada.userId(), ada.orgId()));

        DeviceFlow.Poll first = poll(started.deviceCode());
        assertThat(first.approved().userId()).isEqualTo(ada.userId());
        f.clock.advance(Duration.ofSeconds(5));
        assertThat(error(poll(started.deviceCode()))).isEqualTo("invalid_grant");
    }

    @Test
    void deniedGrantAnswersAccessDenied() {
        DeviceFlow.Started started = start();
        f.tx.run(em -> f.deviceFlow.pending(em, started.grant().userCode(), f.clock.instant()).orElseThrow().deny());
        assertThat(error(poll(started.deviceCode()))).isEqualTo("access_denied");
        assertThat(stillPending(started.grant().userCode())).isFalse();
    }

    @Test
    void unknownDeviceCodeOrOtherClientIsInvalidGrant() {
        DeviceFlow.Started started = start();
        assertThat(error(poll("not-a-code"))).isEqualTo("invalid_grant");
        assertThat(f.tx.call(em -> f.deviceFlow.poll(em, started.deviceCode(), "other", f.clock.instant())).error().error())
                .isEqualTo("invalid_grant");
        DeviceGrant.Status status = f.tx.call(em -> em.find(DeviceGrant.class, started.grant().id()).status());
        assertThat(status).as("a refused poll leaves the grant pending").isEqualTo(DeviceGrant.Status.PENDING);
    }
}
