package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.spi.audit.AuditChain;
import dev.ccp.spi.audit.AuditCheckpoint;
import dev.ccp.spi.audit.AuditEntry;
import dev.ccp.spi.audit.AuditExport;
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
        AuditEntry last = log.get(log.size() - 1);
        String jws = new AuditCheckpoint(last.org(), last.seq(), last.hash(), Instant.parse("2026-12-01T12:00:00Z")).sign(audit);
        return Files.writeString(home.resolve(name), AuditExport.write(log, Map.of(last.seq(), jws)));
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
                "1 checkpoint signed by the server's audit key vouches for them up to entry 3");
    }

    @Test
    void aLogRewrittenAndSignedAgainAfterAnEarlierCheckFails() throws IOException {
        assertThat(ccp("audit", "verify", export("a.jsonl", log(3, "dev")).toString(), "--keys", keys().toString()).exit()).isZero();

        Run run = ccp("audit", "verify", export("b.jsonl", log(4, "mallory")).toString(), "--keys", keys().toString());

        assertThat(run.exit()).isEqualTo(ExitCodes.AUDIT_INVALID);
        assertThat(run.err()).contains("audit entry 3 differs from the log verified on 2026-12-01T12:00:00Z");
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
        assertThat(run.err()).contains("line 1 is not an audit entry or checkpoint");
        assertThat(ccp("audit", "verify", home.resolve("missing.jsonl").toString()).exit()).isEqualTo(ExitCodes.USAGE);
    }
}
