package dev.ccp.server.usage.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.testing.Fixture;
import dev.ccp.server.testing.TestDatabase;
import dev.ccp.spi.wire.IngestResult;
import dev.ccp.spi.wire.RollupBatch;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Taking a batch from a seat whose standing the node keeps between batches: what the node kept
 * decides nothing the seat's row says otherwise, because the row is read again under its lock.
 */
class IngestTest {

    private static final Instant HOUR = Instant.parse("2026-11-26T08:00:00Z");

    @TempDir
    Path keys;
    Fixture f;
    Principal ada;
    String bearer;

    @BeforeEach
    void setUp() {
        f = new Fixture(keys);
        TestDatabase.listening(f.database);
        ada = f.signIn("ada@example.com");
        f.tx.run(em -> f.licenses.grant(em, em.find(Org.class, ada.orgId()), "team", 10, null, "trial", "operator", f.clock.instant()));
        bearer = f.bearer(ada);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private IngestResult ingest(String model) {
        return f.controls.ingest.ingest(bearer, null, new RollupBatch(List.of(RollupValidatorTest.row(model, HOUR, 5))), "http://ccp.test/",
                f.clock.instant());
    }

    /** Changes the caller's membership row without the application: no entity, no notice, nothing tells the node. */
    private void behindTheNodesBack(String sql) {
        try (Connection c = f.database.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, ada.orgId());
            s.setString(2, ada.userId());
            assertThat(s.executeUpdate()).isEqualTo(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSeatsBatchesAreStored() {
        assertThat(ingest("m1")).isEqualTo(new IngestResult(1, 0, 0));
        assertThat(ingest("m2")).isEqualTo(new IngestResult(1, 0, 0));
        assertThat(ingest("m2")).isEqualTo(new IngestResult(0, 1, 0));
    }

    @Test
    void aMemberRemovedSinceTheStandingWasKeptIsRefused() {
        ingest("m1");
        behindTheNodesBack("delete from memberships where org_id = ? and user_id = ?");
        assertThatThrownBy(() -> ingest("m2")).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.problem().status()).isEqualTo(401)).hasMessageContaining("membership has been removed");
    }

    @Test
    void aSeatTakenBackSinceTheStandingWasKeptIsRefused() {
        ingest("m1");
        behindTheNodesBack("update memberships set seat = null where org_id = ? and user_id = ?");
        assertThatThrownBy(() -> ingest("m2")).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.problem().status()).isEqualTo(403)).hasMessageContaining("no seat");
    }

    @Test
    void aRevokedLoginIsRefusedAtTheNextBatch() {
        ingest("m1");
        f.tx.run(em -> f.tokens.revoke(em, bearer.substring(7), "ccp", f.clock.instant()));
        assertThatThrownBy(() -> ingest("m2")).isInstanceOf(ProblemException.class).hasMessageContaining("revoked");
    }
}
