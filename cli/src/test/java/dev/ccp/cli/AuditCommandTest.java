package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.spi.audit.AuditChain;
import dev.ccp.spi.audit.AuditCheckpoint;
import dev.ccp.spi.audit.AuditEntry;
import dev.ccp.spi.audit.AuditExport;
import dev.ccp.spi.audit.AuditHead;
import dev.ccp.spi.license.Ed25519Key;
import dev.ccp.spi.license.KeyRing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ccp audit verify}, offline, as an auditor runs it with the server's published keys. */
class AuditCommandTest extends CliFixture {

    final Ed25519Key audit = Ed25519Key.generate("audit");

    private Path export(String name, List<AuditEntry> log) throws IOException {
        return export(name, log, Map.of());
    }

    private Path export(String name, List<AuditEntry> log, Map<String, String> filter) throws IOException {
        AuditEntry last = log.get(log.size() - 1);
        String jws = new AuditCheckpoint(last.org(), last.seq(), last.hash(), Instant.parse("2026-12-01T12:00:00Z")).sign(audit);
        String head = new AuditHead(last.org(), 1, last.seq(), last.hash(), filter, Instant.parse("2026-12-01T12:00:01Z")).sign(audit);
        return Files.writeString(home.resolve(name), AuditExport.write(log, Map.of(last.seq(), jws), head));
    }

    private Path keys() throws IOException {
        return Files.writeString(home.resolve("jwks.json"), KeyRing.of(audit).toPublicJwks());
    }

    private static List<AuditEntry> log(int n, String who) {
        List<AuditEntry> log = new ArrayList<>();
        AuditEntry previous = null;
        for (int i = 1; i <= n; i++) {
            previous = AuditChain.append(previous, new AuditEntry("org_acme", 0, Instant.parse("2026-12-01T10:00:00Z").plusSeconds(i),
                    "member.added", "user", "usr_1", Map.of("login", who + i + "@acme.example"), Map.of(), null, null));
            log.add(previous);
        }
        return log;
    }

    @Test
    void anExportVouchedForBySignedCheckpointsVerifies() throws IOException {
        Run run = ccp("audit", "verify", export("a.jsonl", log(3, "dev")).toString(), "--keys", keys().toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("✓ 3 entries of org org_acme fit together (entries 1 to 3",
                "1 checkpoint signed by the server's audit key vouches for them up to entry 3",
                "the server's head, signed at 2026-12-01T12:00:01Z, says the log runs from entry 1 to entry 3, so none is missing");
    }

    @Test
    void anExportWithItsFirstOrLastEntryRemovedNamesTheMissingEntry() throws IOException {
        List<String> lines = Files.readAllLines(export("a.jsonl", log(4, "dev")));
        Path withoutLast = Files.write(home.resolve("last.jsonl"), lines.stream().filter(l -> !l.contains("\"seq\":4,")).toList());
        Path withoutFirst = Files.write(home.resolve("first.jsonl"), lines.subList(1, lines.size()));
        Path withoutHead = Files.write(home.resolve("head.jsonl"), lines.subList(0, lines.size() - 1));

        Run last = ccp("audit", "verify", withoutLast.toString(), "--keys", keys().toString());
        Run first = ccp("audit", "verify", withoutFirst.toString(), "--keys", keys().toString());
        Run head = ccp("audit", "verify", withoutHead.toString(), "--keys", keys().toString());

        assertThat(last.exit()).isEqualTo(ExitCodes.AUDIT_INVALID);
        assertThat(last.err()).contains("audit entry 4 is missing: the server's signed head of 2026-12-01T12:00:01Z says the log ends at entry 4");
        assertThat(first.exit()).isEqualTo(ExitCodes.AUDIT_INVALID);
        assertThat(first.err()).contains("audit entry 1 is missing", "says the log starts at entry 1");
        assertThat(head.exit()).isEqualTo(ExitCodes.AUDIT_INVALID);
        assertThat(head.err()).contains("has no signed head");
    }

    @Test
    void aFilteredExportIsRefusedAsAUsageErrorWithWhatToDo() throws IOException {
        Run run = ccp("audit", "verify", export("a.jsonl", log(2, "dev"), Map.of("action", "member.added")).toString(), "--keys",
                keys().toString());

        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("is a filtered export (action=member.added)", "export the whole log");
    }

    @Test
    void aLogRewrittenAndSignedAgainAfterAnEarlierCheckFails() throws IOException {
        assertThat(ccp("audit", "verify", export("a.jsonl", log(3, "dev")).toString(), "--keys", keys().toString()).exit()).isZero();

        Run run = ccp("audit", "verify", export("b.jsonl", log(4, "mallory")).toString(), "--keys", keys().toString());

        assertThat(run.exit()).isEqualTo(ExitCodes.AUDIT_INVALID);
        assertThat(run.err()).contains("audit entry 3 differs from the log verified on 2026-12-01T12:00:01Z");
    }

    @Test
    void aCheckpointNoTrustedKeySignedIsRefusedWithWhatToDo() throws IOException {
        Run run = ccp("audit", "verify", export("a.jsonl", log(2, "dev")).toString());

        assertThat(run.exit()).isEqualTo(ExitCodes.AUDIT_INVALID);
        assertThat(run.err()).contains("not signed by a pinned audit key", "pass its keys with --keys");
    }

    @Test
    void aFileThatIsNotAnExportIsNamed() throws IOException {
        Path junk = Files.writeString(home.resolve("junk.jsonl"), "hello\n");

        Run run = ccp("audit", "verify", junk.toString());

        assertThat(run.exit()).isEqualTo(ExitCodes.AUDIT_INVALID);
        assertThat(run.err()).contains("line 1 is not an audit entry, checkpoint or head");
        assertThat(ccp("audit", "verify", home.resolve("missing.jsonl").toString()).exit()).isEqualTo(ExitCodes.USAGE);
    }
}
