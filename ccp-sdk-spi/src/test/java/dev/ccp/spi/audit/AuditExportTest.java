package dev.ccp.spi.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.spi.license.Ed25519Key;
import dev.ccp.spi.license.KeyRing;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An export checked offline: the chain, the signed checkpoints, and the checkpoint seen before. */
class AuditExportTest {

    static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    final Ed25519Key audit = Ed25519Key.generate("audit");
    final KeyRing trusted = KeyRing.of(audit);

    static List<AuditEntry> log(String org, int n, String marker) {
        List<AuditEntry> entries = new ArrayList<>();
        AuditEntry previous = null;
        for (int i = 1; i <= n; i++) {
            previous = AuditChain.append(previous, new AuditEntry(org, 0, T.plusSeconds(i), "member.added", "user", "usr_1",
                    Map.of("login", "dev" + i + marker + "@acme.example"), Map.of(), null, null));
            entries.add(previous);
        }
        return entries;
    }

    String checkpoint(AuditEntry e) {
        return new AuditCheckpoint(e.org(), e.seq(), e.hash(), T.plusSeconds(60)).sign(audit);
    }

    @Test
    void anExportWrittenAndReadBackVerifiesAndNamesItsNewestCheckpoint() throws IOException {
        List<AuditEntry> log = log("org_a", 4, "");
        String file = AuditExport.write(log, Map.of(2L, checkpoint(log.get(1)), 4L, checkpoint(log.get(3))));

        AuditExport.Parsed parsed = AuditExport.read(List.of(file.split("\n")));
        AuditExport.Result result = AuditExport.verify(parsed, trusted);

        assertThat(parsed.entries()).isEqualTo(log);
        assertThat(parsed.checkpoints()).hasSize(2);
        assertThat(result.valid()).as(result.reason()).isTrue();
        assertThat(result.vouchedTo()).isEqualTo(4);
        assertThat(result.newest().seq()).isEqualTo(4);
    }

    @Test
    void aRewrittenChainFitsTogetherButNotTheCheckpointSignedBefore() {
        List<AuditEntry> log = log("org_a", 3, "");
        List<AuditEntry> rewritten = log("org_a", 3, "-mallory");

        AuditExport.Result result = AuditExport.verify(new AuditExport.Parsed(rewritten, List.of(checkpoint(log.get(2)))), trusted);

        assertThat(AuditChain.verify(rewritten, AuditChain.GENESIS)).isNull();
        assertThat(result.broken()).isEqualTo(3);
        assertThat(result.reason()).contains("the log was rewritten");
    }

    @Test
    void aCheckpointOfAnUntrustedKeyOrAnotherOrgIsRefused() {
        List<AuditEntry> log = log("org_a", 2, "");
        String forged = new AuditCheckpoint("org_a", 2, log.get(1).hash(), T).sign(Ed25519Key.generate("audit"));
        String otherOrg = new AuditCheckpoint("org_b", 2, log.get(1).hash(), T).sign(audit);

        assertThat(AuditExport.verify(new AuditExport.Parsed(log, List.of(forged)), trusted).reason()).contains("not trusted");
        assertThat(AuditExport.verify(new AuditExport.Parsed(log, List.of(otherOrg)), trusted).reason()).contains("another org");
        assertThat(AuditExport.verify(new AuditExport.Parsed(log, List.of(checkpoint(log.get(1)))), KeyRing.of(Ed25519Key.generate("license")))
                .reason()).contains("not signed by a pinned audit key");
    }

    @Test
    void aLogRewrittenAndSignedAgainDisagreesWithTheCheckpointSeenBefore() {
        List<AuditEntry> log = log("org_a", 3, "");
        AuditCheckpoint seen = AuditExport.verify(new AuditExport.Parsed(log, List.of(checkpoint(log.get(2)))), trusted).newest();
        List<AuditEntry> rewritten = log("org_a", 4, "-mallory");
        AuditExport.Parsed resigned = new AuditExport.Parsed(rewritten, List.of(checkpoint(rewritten.get(3))));

        assertThat(AuditExport.verify(resigned, trusted).valid()).as("on its own it fits").isTrue();
        AuditExport.Result result = AuditExport.verify(resigned, trusted, seen);
        assertThat(result.broken()).isEqualTo(3);
        assertThat(result.reason()).contains("differs from the log verified on");

        AuditExport.Result shorter = AuditExport.verify(new AuditExport.Parsed(log.subList(0, 2), List.of()), trusted, seen);
        assertThat(shorter.reason()).contains("entries were removed");
        assertThat(AuditExport.verify(new AuditExport.Parsed(log("org_a", 5, "").subList(0, 5), List.of()), trusted, seen).valid())
                .as("the same log, grown").isTrue();
    }

    @Test
    void anExportThatStartsAfterPrunedEntriesIsAnchoredByTheCheckpointBeforeIt() throws IOException {
        List<AuditEntry> log = log("org_a", 5, "");
        String file = AuditExport.write(log.subList(2, 5), Map.of(2L, checkpoint(log.get(1)), 5L, checkpoint(log.get(4))));

        AuditExport.Result result = AuditExport.verify(AuditExport.read(List.of(file.split("\n"))), trusted);

        assertThat(file.lines().findFirst().orElseThrow()).startsWith("{\"checkpoint\":");
        assertThat(result.valid()).as(result.reason()).isTrue();
        assertThat(result.anchored()).isTrue();
        assertThat(AuditExport.verify(new AuditExport.Parsed(log.subList(2, 5), List.of()), trusted).anchored()).isFalse();
    }

    @Test
    void aLineThatIsNeitherEntryNorCheckpointIsNamed() {
        try {
            AuditExport.read(List.of("{\"checkpoint\": 5}"));
            throw new AssertionError("read it");
        } catch (IOException e) {
            assertThat(e.getMessage()).startsWith("line 1 is not an audit entry or checkpoint");
        }
    }
}
