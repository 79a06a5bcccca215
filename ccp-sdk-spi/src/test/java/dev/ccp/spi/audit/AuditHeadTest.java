package dev.ccp.spi.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.spi.license.Ed25519Key;
import dev.ccp.spi.license.KeyRing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The signed head of an export: what it claims, and that nobody but a pinned audit key makes one. */
class AuditHeadTest {

    static final Instant T = Instant.parse("2026-12-01T12:00:00Z");
    final Ed25519Key audit = Ed25519Key.generate("audit");
    final AuditHead head = new AuditHead("org_a", 3, 9, "ab".repeat(32), Map.of("actor", "system"), T);

    @Test
    void aSignedHeadReadsBackAsItWasSigned() {
        AuditHead.Verified verified = AuditHead.verify(head.sign(audit), KeyRing.of(audit));

        assertThat(verified.valid()).as(verified.problem()).isTrue();
        assertThat(verified.head()).isEqualTo(head);
        assertThat(verified.kid()).isEqualTo(audit.kid());
        assertThat(verified.head().whole()).isFalse();
    }

    @Test
    void aHeadWithAChangedClaimDoesNotVerify() {
        String[] parts = head.sign(audit).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"seq\":9", "\"seq\":8");
        String changed = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];

        assertThat(AuditHead.verify(changed, KeyRing.of(audit)).problem()).contains("signature does not match");
    }

    @Test
    void onlyAnAuditKeySignsAHeadAndTheLogsEndsMustMakeSense() {
        assertThatThrownBy(() -> head.sign(Ed25519Key.generate("license"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuditHead("org_a", 0, 0, AuditChain.GENESIS, Map.of(), T)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuditHead("org_a", 5, 3, AuditChain.GENESIS, Map.of(), T)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new AuditHead("org_a", 1, 0, AuditChain.GENESIS, null, T).whole()).as("an empty log").isTrue();
    }
}
