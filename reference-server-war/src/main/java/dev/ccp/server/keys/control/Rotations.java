package dev.ccp.server.keys.control;

import dev.ccp.server.audit.control.Actor;
import dev.ccp.server.audit.control.AuditLog;
import dev.ccp.server.platform.database.Notifications;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.spi.license.Ed25519Key;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The operator's changes to the key rings: a new signing key, or an old key no longer trusted.
 * Every org's tools verify against these keys, so each change goes into every org's audit log. The
 * key file is written first (atomically), so an audit key's rotation is checkpointed with the new
 * key; the entries follow in one transaction. When that transaction fails, the file is put back as
 * it was and the operator is told: no key changes without its audit entries. Once they are
 * committed, the other nodes are told at once, so none refuses a token signed with the new key.
 */
public final class Rotations {

    /** The notice that tells every node to read the key files again. */
    public static final String NOTICE = "keys";

    private final KeyStore keys;
    private final AuditLog audit;
    private final Tx tx;
    private final Clock clock;
    private final Notifications notices;

    public Rotations(KeyStore keys, AuditLog audit, Tx tx, Clock clock, Notifications notices) {
        this.keys = keys;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
        this.notices = notices;
    }

    public Ed25519Key rotate(KeyPurpose purpose) {
        Map<KeyPurpose, List<Ed25519Key>> before = keys.rings();
        Ed25519Key fresh = keys.rotate(purpose);
        audited(before, em -> audit.appendToEveryOrg(em, "key.rotated", Actor.operator("operator"),
                Map.of("purpose", purpose.prefix(), "kid", fresh.kid()), Map.of("fingerprint", fresh.fingerprint()), clock.instant()));
        // The other nodes verify with the new key from now, not at their next look at the files.
        notices.send(NOTICE, purpose.prefix());
        return fresh;
    }

    /**
     * @return whether a key was retired
     * @throws IllegalStateException for the key that signs now
     */
    public boolean retire(String kid) {
        Map<KeyPurpose, List<Ed25519Key>> before = keys.rings();
        boolean retired = keys.retire(kid);
        if (retired) {
            audited(before, em -> audit.appendToEveryOrg(em, "key.retired", Actor.operator("operator"), Map.of("kid", kid), Map.of(),
                    clock.instant()));
            notices.send(NOTICE, kid);
        }
        return retired;
    }

    /** Commits a change's audit entries, or puts the key files back as they were {@code before} it. */
    private void audited(Map<KeyPurpose, List<Ed25519Key>> before, Consumer<EntityManager> entries) {
        try {
            tx.run(entries);
        } catch (RuntimeException e) {
            keys.restore(before);
            throw e;
        }
    }
}
