package dev.ccp.server.keys.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.server.audit.control.AuditLog;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.testing.Fixture;
import dev.ccp.spi.audit.AuditCheckpoint;
import dev.ccp.spi.audit.AuditEntry;
import dev.ccp.spi.audit.AuditExport;
import dev.ccp.spi.license.Ed25519Key;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's key changes: in every org's audit log, and an audit key rotation that old exports survive. */
class RotationsTest {

    @TempDir
    Path keys;
    Fixture f;
    Principal acme;
    Principal globex;

    @BeforeEach
    void setUp() {
        f = new Fixture(keys);
        acme = f.signIn("owner@acme.example");
        globex = f.signIn("owner@globex.example");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private List<AuditEntry> log(Principal owner) {
        return f.tx.call(em -> f.controls.audit.search(em, owner.orgId(), new AuditLog.Filter(0, null, null, null, null), 100));
    }

    private AuditExport.Parsed export(Principal owner) throws IOException {
        String file = f.tx.call(em -> f.controls.audit.export(em, owner.orgId(), new AuditLog.Filter(0, null, null, null, null), 100,
                f.clock.instant()));
        return AuditExport.read(List.of(file.split("\n")));
    }

    @Test
    void aRotatedKeyIsInEveryOrgsAuditLog() {
        Ed25519Key fresh = f.controls.rotations.rotate(KeyPurpose.LICENSE);

        for (Principal owner : List.of(acme, globex)) {
            AuditEntry last = log(owner).get(log(owner).size() - 1);
            assertThat(last.action()).isEqualTo("key.rotated");
            assertThat(last.actorType()).isEqualTo("operator");
            assertThat(last.targets()).containsEntry("purpose", "license").containsEntry("kid", fresh.kid());
        }
        assertThat(f.controls.rotations.retire("license-no-such-key")).isFalse();
    }

    @Test
    void afterAnAuditKeyRotationOldAndNewCheckpointsVerifyAndARetiredKeyDropsOutOfExports() throws IOException {
        f.tx.run(em -> f.members.add(em, acme, f.members.managedOrg(em, acme, f.slugOf(acme)), "dev@acme.example", "member", false,
                f.clock.instant()));
        String oldKid = AuditCheckpoint.verify(export(acme).checkpoints().get(0), f.keys.published()).kid();

        Ed25519Key fresh = f.controls.rotations.rotate(KeyPurpose.AUDIT);
        AuditExport.Parsed both = export(acme);

        assertThat(both.checkpoints()).hasSize(2);
        assertThat(AuditCheckpoint.verify(both.checkpoints().get(1), f.keys.published()).kid()).isEqualTo(fresh.kid());
        assertThat(AuditExport.verify(both, f.keys.published()).valid()).isTrue();
        assertThatThrownBy(() -> f.controls.rotations.retire(fresh.kid())).isInstanceOf(IllegalStateException.class);

        assertThat(f.controls.rotations.retire(oldKid)).isTrue();
        assertThat(AuditExport.verify(both, f.keys.published()).reason()).as("a retired key vouches for nothing")
                .contains("not signed by a pinned audit key");
        assertThat(log(acme).get(log(acme).size() - 1).action()).isEqualTo("key.retired");
        AuditExport.Parsed after = export(acme);
        assertThat(after.checkpoints()).as("only checkpoints of keys still trusted").hasSize(2)
                .allMatch(c -> AuditCheckpoint.verify(c, f.keys.published()).kid().equals(fresh.kid()));
        assertThat(AuditExport.verify(after, f.keys.published()).valid()).isTrue();
    }

    private static List<String> kids(KeyStore store, KeyPurpose purpose) {
        return store.rings().get(purpose).stream().map(Ed25519Key::kid).toList();
    }

    @Test
    void aKeyChangeWhoseAuditEntriesCannotBeWrittenIsTakenBack() {
        String old = f.keys.signer(KeyPurpose.LICENSE).kid();
        Ed25519Key signer = f.controls.rotations.rotate(KeyPurpose.LICENSE);
        List<String> ring = kids(f.keys, KeyPurpose.LICENSE);
        int entries = log(acme).size();
        f.tx.run(em -> em.createNativeQuery("alter table audit_entries rename to audit_entries_away").executeUpdate());
        try {
            assertThatThrownBy(() -> f.controls.rotations.rotate(KeyPurpose.LICENSE)).isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> f.controls.rotations.retire(old)).isInstanceOf(RuntimeException.class);
        } finally {
            f.tx.run(em -> em.createNativeQuery("alter table audit_entries_away rename to audit_entries").executeUpdate());
        }

        assertThat(f.keys.signer(KeyPurpose.LICENSE).kid()).isEqualTo(signer.kid());
        assertThat(kids(f.keys, KeyPurpose.LICENSE)).as("no new key, and the old one still verifies").isEqualTo(ring).contains(old);
        assertThat(kids(new KeyStore(keys), KeyPurpose.LICENSE)).as("the key file too").isEqualTo(ring);
        assertThat(log(acme)).hasSize(entries);
    }
}
