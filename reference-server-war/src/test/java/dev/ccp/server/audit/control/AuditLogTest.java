package dev.ccp.server.audit.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.testing.Fixture;
import dev.ccp.spi.audit.AuditChain;
import dev.ccp.spi.audit.AuditCheckpoint;
import dev.ccp.spi.audit.AuditEntry;
import dev.ccp.spi.audit.AuditExport;
import dev.ccp.spi.license.Ed25519Key;
import dev.ccp.spi.license.KeyRing;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log: what the org's changes write, and that no edit, removal or reordering goes unseen. */
class AuditLogTest {

    @TempDir
    Path keys;
    Fixture f;
    AuditLog audit;
    Principal owner;
    String acme;

    @BeforeEach
    void setUp() {
        f = new Fixture(keys);
        audit = f.controls.audit;
        owner = f.signIn("owner@acme.example");
        acme = f.slugOf(owner);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private List<AuditEntry> log() {
        return f.tx.call(em -> audit.search(em, owner.orgId(), new AuditLog.Filter(0, null, null, null, null), 1000));
    }

    private void sql(String statement) {
        f.tx.run(em -> em.createNativeQuery(statement).executeUpdate());
    }

    @Test
    void everyChangeToTheOrgIsAppendedWithWhoDidItAndTheChainHolds() {
        f.tx.run(em -> f.licenses.grant(em, em.find(Org.class, owner.orgId()), "team", 3, null, "trial", "ops", f.clock.instant()));
        f.tx.run(em -> f.members.add(em, owner, f.members.managedOrg(em, owner, acme), "dev@acme.example", "member", true, f.clock.instant()));
        f.tx.run(em -> f.members.changeRole(em, owner, f.members.managedOrg(em, owner, acme), "dev@acme.example", "admin", f.clock.instant()));
        f.tx.run(em -> f.controls.invites.create(em, owner, f.members.managedOrg(em, owner, acme), null, "member", true, null, f.clock.instant()));
        f.tx.run(em -> f.members.remove(em, owner, f.members.managedOrg(em, owner, acme), "dev@acme.example", f.clock.instant()));

        List<AuditEntry> log = log();

        assertThat(log).extracting(AuditEntry::action).containsExactly(
                "license.plan_changed", "member.added", "member.role_changed", "invite.created", "member.removed");
        assertThat(log).extracting(AuditEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(log.get(0).actorType()).isEqualTo("operator");
        assertThat(log.get(0).details()).containsEntry("plan", "team").containsEntry("cause", "operator grant: trial");
        assertThat(log.get(2).actorId()).isEqualTo(owner.userId());
        assertThat(log.get(2).details()).isEqualTo(Map.of("from", "member", "to", "admin"));
        assertThat(AuditChain.verify(log, AuditChain.GENESIS)).isNull();
    }

    @Test
    void aChangeThatFailsWritesNothing() {
        assertThatThrownBy(() -> f.tx.run(em -> f.members.changeRole(em, owner, f.members.managedOrg(em, owner, acme),
                "owner@acme.example", "member", f.clock.instant()))).hasMessageContaining("last owner");

        assertThat(log()).isEmpty();
    }

    @Test
    void concurrentChangesGetConsecutiveNumbersInOneChain() throws Exception {
        f.tx.run(em -> f.licenses.grant(em, em.find(Org.class, owner.orgId()), "team", 20, null, "test", "ops", f.clock.instant()));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Object>> adds = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String login = "p" + i + "@acme.example";
                adds.add(() -> f.tx.call(em -> f.members.add(em, owner, f.members.managedOrg(em, owner, acme), login, "member", true, f.clock.instant())));
            }
            for (Future<Object> done : pool.invokeAll(adds)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }

        List<AuditEntry> log = log();
        assertThat(log).hasSize(9);
        assertThat(AuditChain.verify(log, AuditChain.GENESIS)).isNull();
    }

    @Test
    void editingRemovingOrReorderingAnyEntryIsCaughtAtThatEntry() {
        for (int i = 0; i < 4; i++) {
            String login = "p" + i + "@acme.example";
            f.clock.advance(Duration.ofMinutes(1));
            f.tx.run(em -> f.members.add(em, owner, f.members.managedOrg(em, owner, acme), login, "member", false, f.clock.instant()));
        }
        assertThat(AuditChain.verify(log(), AuditChain.GENESIS)).isNull();

        sql("update audit_entries set details = '{\"role\":\"owner\",\"seat\":false}' where seq = 2");
        assertThat(AuditChain.verify(log(), AuditChain.GENESIS)).satisfies(b -> {
            assertThat(b.seq()).isEqualTo(2);
            assertThat(b.reason()).contains("changed after it was written");
        });
        sql("update audit_entries set details = '{\"role\":\"member\",\"seat\":false}' where seq = 2");
        assertThat(AuditChain.verify(log(), AuditChain.GENESIS)).isNull();

        List<AuditEntry> reordered = new ArrayList<>(log());
        reordered.add(1, reordered.remove(2));
        assertThat(AuditChain.verify(reordered, AuditChain.GENESIS).seq()).isEqualTo(3);

        List<AuditEntry> gap = new ArrayList<>(log());
        gap.remove(1);
        assertThat(AuditChain.verify(gap, AuditChain.GENESIS)).satisfies(b -> {
            assertThat(b.seq()).isEqualTo(3);
            assertThat(b.reason()).contains("missing or out of order");
        });

        sql("update audit_entries set at = at + interval '1' second where seq = 3");
        assertThat(AuditChain.verify(log(), AuditChain.GENESIS).seq()).isEqualTo(3);
    }

    @Test
    void aSuffixVerifiesFromTheHashBeforeIt() {
        for (int i = 0; i < 3; i++) {
            String login = "p" + i + "@acme.example";
            f.tx.run(em -> f.members.add(em, owner, f.members.managedOrg(em, owner, acme), login, "member", false, f.clock.instant()));
        }
        List<AuditEntry> log = log();

        assertThat(AuditChain.verify(log.subList(1, 3), log.get(0).hash())).isNull();
        assertThat(AuditChain.verify(log.subList(1, 3), AuditChain.GENESIS).seq()).isEqualTo(2);
    }

    private void addMember(String login) {
        f.tx.run(em -> f.members.add(em, owner, f.members.managedOrg(em, owner, acme), login, "member", false, f.clock.instant()));
    }

    private AuditExport.Parsed export() throws IOException {
        return export(new AuditLog.Filter(0, null, null, null, null), 1000);
    }

    private AuditExport.Parsed export(AuditLog.Filter filter, int limit) throws IOException {
        String file = f.tx.call(em -> audit.export(em, owner.orgId(), filter, limit, f.clock.instant()));
        return AuditExport.read(List.of(file.split("\n")));
    }

    @Test
    void anExportCarriesACheckpointSignedWithTheAuditKeyThatVouchesForEveryEntry() throws IOException {
        addMember("a@acme.example");
        addMember("b@acme.example");

        AuditExport.Parsed export = export();
        AuditExport.Result result = AuditExport.verify(export, f.controls.keys.published());

        assertThat(result.valid()).as(result.reason()).isTrue();
        assertThat(export.checkpoints()).hasSize(1);
        assertThat(result.vouchedTo()).isEqualTo(2);
        AuditCheckpoint.Verified checkpoint = AuditCheckpoint.verify(export.checkpoints().get(0), f.controls.keys.published());
        assertThat(checkpoint.kid()).startsWith("audit-");
        assertThat(checkpoint.checkpoint()).isEqualTo(new AuditCheckpoint(owner.orgId(), 2, export.entries().get(1).hash(),
                f.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
        assertThat(export().checkpoints()).as("a second export signs nothing new").hasSize(1);
    }

    @Test
    void aChainRecomputedAfterAnEditNoLongerMatchesTheSignedCheckpoint() throws IOException {
        addMember("a@acme.example");
        addMember("b@acme.example");
        addMember("c@acme.example");
        AuditExport.Parsed export = export();

        List<AuditEntry> rewritten = new ArrayList<>();
        AuditEntry previous = null;
        for (AuditEntry e : export.entries()) {
            AuditEntry changed = e.seq() == 2 ? new AuditEntry(e.org(), e.seq(), e.at(), e.action(), e.actorType(), e.actorId(),
                    Map.of("login", "mallory@evil.example"), e.details(), e.prevHash(), e.hash()) : e;
            previous = AuditChain.append(previous, changed);
            rewritten.add(previous);
        }
        assertThat(AuditChain.verify(rewritten, AuditChain.GENESIS)).as("the chain alone fits").isNull();

        AuditExport.Result result = AuditExport.verify(new AuditExport.Parsed(rewritten, export.checkpoints(), export.head()), f.controls.keys.published());

        assertThat(result.valid()).isFalse();
        assertThat(result.broken()).isEqualTo(3);
        assertThat(result.reason()).contains("the log was rewritten");
    }

    @Test
    void checkpointsAreCheckedAgainstTheTrustedAuditKeysOnly() throws IOException {
        addMember("a@acme.example");
        AuditExport.Parsed export = export();

        assertThat(AuditExport.verify(export, KeyRing.of()).reason()).contains("not signed by a pinned audit key");
        assertThat(AuditExport.verify(export, f.controls.keys.verifiers(dev.ccp.server.keys.control.KeyPurpose.LICENSE)).reason())
                .as("a license key does not vouch for the audit log").contains("not signed by a pinned audit key");
        String forged = new AuditCheckpoint(owner.orgId(), 1, export.entries().get(0).hash(), f.clock.instant())
                .sign(Ed25519Key.generate("audit"));
        assertThat(AuditExport.verify(new AuditExport.Parsed(export.entries(), List.of(forged), export.head()), f.controls.keys.published()).reason())
                .contains("not trusted");
    }

    @Test
    void theCheckpointJobSignsOnlyLogsThatMovedOn() {
        addMember("a@acme.example");
        assertThat(f.tx.call(audit::unsigned)).contains(owner.orgId());

        f.tx.run(em -> audit.checkpoint(em, owner.orgId(), f.clock.instant()));
        assertThat(f.tx.call(audit::unsigned)).doesNotContain(owner.orgId());

        addMember("b@acme.example");
        assertThat(f.tx.call(audit::unsigned)).contains(owner.orgId());
    }

    @Test
    void pruningDropsOldEntriesOnlyUpToACheckpointSoWhatIsKeptStillVerifies() throws IOException {
        addMember("a@acme.example");
        addMember("b@acme.example");
        f.tx.run(em -> audit.checkpoint(em, owner.orgId(), f.clock.instant()));
        addMember("c@acme.example");
        f.clock.advance(Duration.ofDays(40));
        addMember("d@acme.example");

        int dropped = f.tx.call(em -> audit.prune(em, Duration.ofDays(30), f.clock.instant()));

        assertThat(dropped).as("entries 1 and 2; entry 3 is old but no checkpoint before the cut covers it").isEqualTo(2);
        AuditExport.Parsed export = export();
        assertThat(export.entries()).extracting(AuditEntry::seq).containsExactly(3L, 4L);
        AuditExport.Result result = AuditExport.verify(export, f.controls.keys.published());
        assertThat(result.valid()).as(result.reason()).isTrue();
        assertThat(result.anchored()).isTrue();
        assertThat(result.head().first()).as("where the log starts, as pruning recorded it").isEqualTo(3);
        assertThat(AuditExport.verify(new AuditExport.Parsed(export.entries(), export.checkpoints().subList(1, export.checkpoints().size()),
                export.head()),
                f.controls.keys.published()).anchored()).as("without the anchoring checkpoint").isFalse();

        sql("delete from audit_entries where seq = 3");
        AuditExport.Result firstKeptGone = AuditExport.verify(export(), f.controls.keys.published());
        assertThat(firstKeptGone.broken()).isEqualTo(3);
        assertThat(firstKeptGone.reason()).contains("is missing", "says the log starts at entry 3");
    }

    @Test
    void theNewestRowDeletedFromTheDatabaseIsNamedAsMissing() throws IOException {
        addMember("a@acme.example");
        addMember("b@acme.example");
        addMember("c@acme.example");
        assertThat(AuditExport.verify(export(), f.controls.keys.published()).valid()).isTrue();

        sql("delete from audit_entries where seq = 3");
        AuditExport.Parsed export = export();
        AuditExport.Result result = AuditExport.verify(export, f.controls.keys.published());

        assertThat(export.entries()).extracting(AuditEntry::seq).containsExactly(1L, 2L);
        assertThat(result.valid()).isFalse();
        assertThat(result.broken()).isEqualTo(3);
        assertThat(result.reason()).contains("is missing", "says the log ends at entry 3");
    }

    @Test
    void theNewestRowsDeletedAndTheHeadMovedBackShowAgainstTheCheckpointSignedBefore() throws IOException {
        addMember("a@acme.example");
        addMember("b@acme.example");
        export();

        sql("delete from audit_entries where seq = 2");
        sql("update audit_heads set seq = 1, hash = (select hash from audit_entries where seq = 1)");
        AuditExport.Result result = AuditExport.verify(export(), f.controls.keys.published());

        assertThat(result.broken()).isEqualTo(2);
        assertThat(result.reason()).contains("vouches for entry 2", "entries were removed");
    }

    @Test
    void theOldestRowDeletedFromTheDatabaseIsNamedThoughACheckpointFollowsIt() throws IOException {
        addMember("a@acme.example");
        f.tx.run(em -> audit.checkpoint(em, owner.orgId(), f.clock.instant()));
        addMember("b@acme.example");
        addMember("c@acme.example");

        sql("delete from audit_entries where seq = 1");
        AuditExport.Parsed export = export();
        AuditExport.Result result = AuditExport.verify(export, f.controls.keys.published());

        assertThat(export.entries()).extracting(AuditEntry::seq).containsExactly(2L, 3L);
        assertThat(AuditCheckpoint.verify(export.checkpoints().get(0), f.controls.keys.published()).checkpoint().seq())
                .as("the checkpoint that would look like a pruning anchor").isEqualTo(1);
        assertThat(result.valid()).isFalse();
        assertThat(result.broken()).isEqualTo(1);
        assertThat(result.reason()).contains("is missing", "says the log starts at entry 1");
    }

    @Test
    void aFilteredOrCutShortExportSaysSoInItsSignedHeadAndIsNotVerified() throws IOException {
        addMember("a@acme.example");
        addMember("b@acme.example");
        f.tx.run(em -> f.members.changeRole(em, owner, f.members.managedOrg(em, owner, acme), "a@acme.example", "admin", f.clock.instant()));

        AuditExport.Result filtered = AuditExport.verify(export(new AuditLog.Filter(0, null, "member.added", null, null), 1000),
                f.controls.keys.published());
        AuditExport.Result cut = AuditExport.verify(export(new AuditLog.Filter(0, null, null, null, null), 2), f.controls.keys.published());

        assertThat(filtered.partial()).isTrue();
        assertThat(filtered.reason()).contains("is a filtered export (action=member.added)");
        assertThat(cut.partial()).isTrue();
        assertThat(cut.head().filter()).isEqualTo(Map.of("limit", "2"));
        assertThat(AuditExport.verify(export(new AuditLog.Filter(0, null, null, null, null), 3), f.controls.keys.published()).valid())
                .as("a limit the log fits in leaves nothing out").isTrue();
    }
}
