package dev.ccp.server.license.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.testing.Fixture;
import dev.ccp.server.testing.TestDatabase;
import dev.ccp.spi.wire.LicenseStatusResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * License status as a tool asks for it again and again: what the node keeps of a login answers the
 * next request, and every change that matters is seen at the very next request after it commits.
 */
class LicenseStatusTest {

    @TempDir
    Path keys;
    Fixture f;
    Principal ada;
    String bearer;

    @BeforeEach
    void setUp() {
        f = new Fixture(keys);
        // Kept reads count only while change notices arrive: without this, PostgreSQL would test no cache.
        TestDatabase.listening(f.database);
        ada = f.signIn("ada@example.com");
        bearer = f.bearer(ada);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private LicenseStatusResponse status() {
        return f.controls.licenseStatus.of(bearer, f.clock.instant(), null);
    }

    @Test
    void aStatusAskedAgainIsAnsweredFromWhatTheNodeKept() {
        assumeFalse(System.getProperty("ccp.it.db.url", "").startsWith("jdbc:postgresql:"),
                "on PostgreSQL the table's trigger announces even this write, so nothing shows what was kept");
        assertThat(status().plan()).isEqualTo("free");
        // Behind the application's back: no entity, no notice, so nothing tells the node.
        try (Connection c = f.database.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("update orgs set plan = 'team' where id = ?")) {
            s.setString(1, ada.orgId());
            assertThat(s.executeUpdate()).isEqualTo(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(status().plan()).as("kept").isEqualTo("free");
    }

    @Test
    void aGrantIsSeenAtTheNextRequest() {
        assertThat(status().plan()).isEqualTo("free");
        f.tx.run(em -> f.licenses.grant(em, em.find(Org.class, ada.orgId()), "team", 10, null, "trial", "operator", f.clock.instant()));
        assertThat(status().plan()).isEqualTo("team");
        assertThat(status().seats()).isEqualTo(10);
    }

    @Test
    void aPlanThatEndsWhileKeptHasEndedWhenItEnds() {
        f.tx.run(em -> f.licenses.grant(em, em.find(Org.class, ada.orgId()), "team", 10, f.clock.instant().plus(Duration.ofMinutes(1)),
                "trial", "operator", f.clock.instant()));
        assertThat(status().plan()).isEqualTo("team");
        f.clock.advance(Duration.ofMinutes(2));
        assertThat(status().plan()).isEqualTo("free");
        assertThat(status().message()).contains("plan ended");
    }

    @Test
    void aRevokedLoginIsRefusedAtTheNextRequest() {
        status();
        f.tx.run(em -> f.tokens.revoke(em, bearer.substring(7), "ccp", f.clock.instant()));
        assertThatThrownBy(this::status).isInstanceOf(ProblemException.class).hasMessageContaining("revoked");
    }

    @Test
    void aMemberRemovedFromTheOrgIsRefusedAtTheNextRequest() {
        f.tx.run(em -> f.licenses.grant(em, em.find(Org.class, ada.orgId()), "team", 10, null, "trial", "operator", f.clock.instant()));
        f.tx.run(em -> f.members.add(em, ada, em.find(Org.class, ada.orgId()), "bob@example.com", "member", true, f.clock.instant()));
        Principal bob = f.signIn("bob@example.com", "ada");
        bearer = f.bearer(bob);
        assertThat(status().seat()).isNotNull();

        // The sessions end by a bulk update, which no entity listener sees.
        f.tx.run(em -> f.members.remove(em, ada, em.find(Org.class, ada.orgId()), "bob@example.com", f.clock.instant()));
        assertThatThrownBy(this::status).isInstanceOf(ProblemException.class).hasMessageContaining("revoked");
    }

    @Test
    void aSeatTakenBackIsSeenAtTheNextRequest() {
        f.tx.run(em -> f.licenses.grant(em, em.find(Org.class, ada.orgId()), "team", 10, null, "trial", "operator", f.clock.instant()));
        assertThat(status().seat()).isNotNull();
        f.tx.run(em -> f.members.unassignSeat(em, ada, em.find(Org.class, ada.orgId()), "ada@example.com", f.clock.instant()));
        LicenseStatusResponse seatless = status();
        assertThat(seatless.seat()).isNull();
        assertThat(seatless.plan()).isEqualTo("free");
    }
}
