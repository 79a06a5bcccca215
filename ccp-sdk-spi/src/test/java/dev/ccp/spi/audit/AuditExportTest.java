package dev.ccp.spi.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.spi.license.Ed25519Key;
import dev.ccp.spi.license.KeyRing;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** An export checked offline: the chain, the signed checkpoints and head, and the checkpoint seen before. */
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

    /** The head the server signs for a log that keeps entries {@code first} to the last of {@code log}. */
    String head(List<AuditEntry> log, long first) {
        AuditEntry last = log.get(log.size() - 1);
        return new AuditHead(last.org(), first, last.seq(), last.hash(), Map.of(), T.plusSeconds(120)).sign(audit);
    }

    AuditExport.Parsed parsed(List<AuditEntry> entries, List<String> checkpoints, List<AuditEntry> log) {
        return new AuditExport.Parsed(entries, checkpoints, head(log, 1));
    }

    /** Five entries, a checkpoint after entries 1, 3 and 5, and the head, as the server writes them. */
    List<String> file() {
        List<AuditEntry> log = log("org_a", 5, "");
        Map<Long, String> checkpoints = new TreeMap<>(Map.of(1L, checkpoint(log.get(0)), 3L, checkpoint(log.get(2)), 5L, checkpoint(log.get(4))));
        return new ArrayList<>(List.of(AuditExport.write(log, checkpoints, head(log, 1)).split("\n")));
    }

    private static int lineOf(List<String> lines, long seq) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"seq\":" + seq + ",")) {
                return i;
            }
        }
        throw new AssertionError("no entry " + seq);
    }

    AuditExport.Result verify(List<String> lines) throws IOException {
        return AuditExport.verify(AuditExport.read(lines), trusted);
    }

    @Test
    void anExportWrittenAndReadBackVerifiesAndNamesItsHeadAsTheNewestWordOnIt() throws IOException {
        List<AuditEntry> log = log("org_a", 4, "");
        String file = AuditExport.write(log, Map.of(2L, checkpoint(log.get(1)), 4L, checkpoint(log.get(3))), head(log, 1));

        AuditExport.Parsed parsed = AuditExport.read(List.of(file.split("\n")));
        AuditExport.Result result = AuditExport.verify(parsed, trusted);

        assertThat(file.lines().reduce((a, b) -> b).orElseThrow()).startsWith("{\"head\":");
        assertThat(parsed.entries()).isEqualTo(log);
        assertThat(parsed.checkpoints()).hasSize(2);
        assertThat(result.valid()).as(result.reason()).isTrue();
        assertThat(result.vouchedTo()).isEqualTo(4);
        assertThat(result.head().first()).isEqualTo(1);
        assertThat(result.newest()).isEqualTo(new AuditCheckpoint("org_a", 4, log.get(3).hash(), T.plusSeconds(120)));
    }

    @Test
    void removingTheFirstEntryIsNamedThoughTheCheckpointAfterItLooksLikeAPruningAnchor() throws IOException {
        List<String> lines = file();
        lines.remove(lineOf(lines, 1));

        AuditExport.Result result = verify(lines);

        assertThat(result.broken()).isEqualTo(1);
        assertThat(result.reason()).contains("is missing", "says the log starts at entry 1");
    }

    @Test
    void removingTheLastEntryIsNamedWithOrWithoutItsCheckpoint() throws IOException {
        List<String> lines = file();
        lines.remove(lineOf(lines, 5));
        assertThat(verify(lines).broken()).isEqualTo(5);
        assertThat(verify(lines).reason()).contains("is missing", "says the log ends at entry 5");

        lines.remove(lineOf(lines, 4) + 1);
        assertThat(AuditExport.read(lines).checkpoints()).as("the checkpoint of entry 5 is gone too").hasSize(2);
        assertThat(verify(lines).broken()).isEqualTo(5);
        assertThat(verify(lines).reason()).contains("is missing");
    }

    @Test
    void removingAnEntryInTheMiddleIsNamedAtTheEntryAfterTheGap() throws IOException {
        List<String> lines = file();
        lines.remove(lineOf(lines, 4));

        AuditExport.Result result = verify(lines);

        assertThat(result.broken()).isEqualTo(5);
        assertThat(result.reason()).contains("missing or out of order");
    }

    @Test
    void anExportWithoutItsHeadDoesNotVerify() throws IOException {
        List<String> lines = file();
        lines.removeIf(l -> l.startsWith("{\"head\":"));

        AuditExport.Result result = verify(lines);

        assertThat(result.valid()).isFalse();
        assertThat(result.reason()).contains("has no signed head");
    }

    @Test
    void aHeadForgedWithAnotherKeyOrForAnotherOrgOrOfAnotherKindIsRefused() throws IOException {
        List<AuditEntry> log = log("org_a", 5, "");
        List<String> lines = file();
        lines.remove(lineOf(lines, 5));
        lines.remove(lineOf(lines, 4) + 1);
        lines.removeIf(l -> l.startsWith("{\"head\":"));
        String forged = new AuditHead("org_a", 1, 4, log.get(3).hash(), Map.of(), T).sign(Ed25519Key.generate("audit"));
        List<String> withForged = new ArrayList<>(lines);
        withForged.add("{\"head\":\"" + forged + "\"}");

        assertThat(verify(withForged).reason()).contains("has a head that is not signed by a pinned audit key", "not trusted");
        AuditExport.Parsed parsed = AuditExport.read(lines);
        Ed25519Key license = Ed25519Key.generate("license");
        assertThat(AuditExport.verify(new AuditExport.Parsed(parsed.entries(), parsed.checkpoints(),
                new AuditHead("org_a", 1, 4, log.get(3).hash(), Map.of(), T).sign(audit)), KeyRing.of(audit, license)).valid())
                .as("the same head signed by the pinned key would do").isTrue();
        assertThat(AuditExport.verify(new AuditExport.Parsed(parsed.entries(), parsed.checkpoints(),
                new AuditHead("org_b", 1, 4, log.get(3).hash(), Map.of(), T).sign(audit)), trusted).reason()).contains("another org");
        assertThat(AuditExport.verify(new AuditExport.Parsed(parsed.entries(), parsed.checkpoints(), checkpoint(log.get(3))), trusted)
                .reason()).as("a checkpoint is not a head").contains("has a head that is not signed", "is not " + AuditHead.TYPE);
    }

    @Test
    void aCheckpointAfterTheHeadShowsTheEndWasCutAndTheHeadMovedBack() {
        List<AuditEntry> log = log("org_a", 5, "");

        AuditExport.Result result = AuditExport.verify(new AuditExport.Parsed(log.subList(0, 4), List.of(checkpoint(log.get(4))),
                head(log.subList(0, 4), 1)), trusted);

        assertThat(result.broken()).isEqualTo(5);
        assertThat(result.reason()).contains("is missing", "entries were removed");
    }

    @Test
    void aFilteredExportIsRefusedAsFilteredNotAsTampered() {
        List<AuditEntry> log = log("org_a", 3, "");
        String head = new AuditHead("org_a", 1, 3, log.get(2).hash(), Map.of("action", "member.added"), T).sign(audit);

        AuditExport.Result result = AuditExport.verify(new AuditExport.Parsed(log.subList(1, 2), List.of(), head), trusted);

        assertThat(result.valid()).isFalse();
        assertThat(result.partial()).isTrue();
        assertThat(result.broken()).isNull();
        assertThat(result.reason()).contains("is a filtered export (action=member.added)", "cannot be verified");
    }

    @Test
    void aRewrittenChainFitsTogetherButNotTheCheckpointSignedBefore() {
        List<AuditEntry> log = log("org_a", 3, "");
        List<AuditEntry> rewritten = log("org_a", 3, "-mallory");

        AuditExport.Result result = AuditExport.verify(parsed(rewritten, List.of(checkpoint(log.get(2))), log), trusted);

        assertThat(AuditChain.verify(rewritten, AuditChain.GENESIS)).isNull();
        assertThat(result.broken()).isEqualTo(3);
        assertThat(result.reason()).contains("the log was rewritten");
        assertThat(AuditExport.verify(parsed(rewritten, List.of(), log), trusted).reason()).as("nor the head")
                .contains("is not the entry the server's signed head", "names: the log was rewritten");
    }

    @Test
    void aCheckpointOfAnUntrustedKeyOrAnotherOrgIsRefused() {
        List<AuditEntry> log = log("org_a", 2, "");
        String forged = new AuditCheckpoint("org_a", 2, log.get(1).hash(), T).sign(Ed25519Key.generate("audit"));
        String otherOrg = new AuditCheckpoint("org_b", 2, log.get(1).hash(), T).sign(audit);

        assertThat(AuditExport.verify(parsed(log, List.of(forged), log), trusted).reason()).contains("not trusted");
        assertThat(AuditExport.verify(parsed(log, List.of(otherOrg), log), trusted).reason()).contains("another org");
        assertThat(AuditExport.verify(parsed(log, List.of(checkpoint(log.get(1))), log), KeyRing.of(Ed25519Key.generate("license")))
                .reason()).contains("not signed by a pinned audit key");
    }

    @Test
    void aLogRewrittenAndSignedAgainDisagreesWithTheCheckpointSeenBefore() {
        List<AuditEntry> log = log("org_a", 3, "");
        AuditCheckpoint seen = AuditExport.verify(parsed(log, List.of(checkpoint(log.get(2))), log), trusted).newest();
        List<AuditEntry> rewritten = log("org_a", 4, "-mallory");
        AuditExport.Parsed resigned = parsed(rewritten, List.of(checkpoint(rewritten.get(3))), rewritten);

        assertThat(AuditExport.verify(resigned, trusted).valid()).as("on its own it fits").isTrue();
        AuditExport.Result result = AuditExport.verify(resigned, trusted, seen);
        assertThat(result.broken()).isEqualTo(3);
        assertThat(result.reason()).contains("differs from the log verified on");

        AuditExport.Result shorter = AuditExport.verify(parsed(log.subList(0, 2), List.of(), log.subList(0, 2)), trusted, seen);
        assertThat(shorter.reason()).contains("entries were removed");
        List<AuditEntry> grown = log("org_a", 5, "");
        assertThat(AuditExport.verify(parsed(grown, List.of(), grown), trusted, seen).valid()).as("the same log, grown").isTrue();
    }

    @Test
    void anExportThatStartsAfterPrunedEntriesVerifiesFromTheFirstKeptCheckpoint() throws IOException {
        List<AuditEntry> log = log("org_a", 5, "");
        String file = AuditExport.write(log.subList(2, 5), Map.of(2L, checkpoint(log.get(1)), 5L, checkpoint(log.get(4))), head(log, 3));

        AuditExport.Result result = AuditExport.verify(AuditExport.read(List.of(file.split("\n"))), trusted);

        assertThat(file.lines().findFirst().orElseThrow()).startsWith("{\"checkpoint\":");
        assertThat(result.valid()).as(result.reason()).isTrue();
        assertThat(result.anchored()).isTrue();
        assertThat(AuditExport.verify(new AuditExport.Parsed(log.subList(2, 5), List.of(), head(log, 3)), trusted).anchored()).isFalse();
        AuditExport.Result cut = AuditExport.verify(new AuditExport.Parsed(log.subList(3, 5), List.of(checkpoint(log.get(2))), head(log, 3)),
                trusted);
        assertThat(cut.broken()).as("the first kept entry removed, though a checkpoint anchors the next").isEqualTo(3);
        assertThat(cut.reason()).contains("is missing", "says the log starts at entry 3");
    }

    @Test
    void aLineThatIsNeitherEntryNorCheckpointNorHeadIsNamed() {
        assertThatThrownBy(() -> AuditExport.read(List.of("{\"checkpoint\": 5}"))).isInstanceOf(IOException.class)
                .hasMessageStartingWith("line 1 is not an audit entry, checkpoint or head");
        assertThatThrownBy(() -> AuditExport.read(List.of("{\"head\":\"a.b.c\"}", "{\"head\":\"a.b.c\"}")))
                .hasMessageStartingWith("line 2 is not").hasMessageContaining("a second");
    }
}
