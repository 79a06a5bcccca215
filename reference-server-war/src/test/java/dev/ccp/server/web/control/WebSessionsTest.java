package dev.ccp.server.web.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.testing.Fixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebSessionsTest {

    @TempDir
    Path keys;
    Fixture f;
    Principal ada;

    @BeforeEach
    void setUp() {
        f = new Fixture(keys);
        ada = f.signIn("ada@example.com");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void expiredSessionsArePrunedAndLiveOnesStay() {
        String old = f.tx.call(em -> WebSessions.start(em, ada.userId(), ada.orgId(), f.clock.instant()));
        f.clock.advance(WebSessions.TTL.plus(Duration.ofMinutes(1)));
        String live = f.tx.call(em -> WebSessions.start(em, ada.userId(), ada.orgId(), f.clock.instant()));

        int pruned = f.tx.call(em -> WebSessions.prune(em, f.clock.instant()));

        assertThat(pruned).isEqualTo(1);
        Optional<Principal> stillLive = f.tx.call(em -> WebSessions.resolve(em, live, f.clock.instant()));
        Optional<Principal> gone = f.tx.call(em -> WebSessions.resolve(em, old, f.clock.instant().minus(Duration.ofHours(1))));
        assertThat(stillLive).isPresent();
        assertThat(gone).as("deleted, not only expired").isEmpty();
    }
}
