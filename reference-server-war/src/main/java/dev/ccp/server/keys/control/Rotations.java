package dev.ccp.server.keys.control;

import dev.ccp.server.audit.control.Actor;
import dev.ccp.server.audit.control.AuditLog;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.spi.license.Ed25519Key;
import java.time.Clock;
import java.util.Map;

/**
 * The operator's changes to the key rings: a new signing key, or an old key no longer trusted.
 * Every org's tools verify against these keys, so each change goes into every org's audit log. The
 * key file is written first (atomically); the entries follow in one transaction.
 */
public final class Rotations {

    private final KeyStore keys;
    private final AuditLog audit;
    private final Tx tx;
    private final Clock clock;

    public Rotations(KeyStore keys, AuditLog audit, Tx tx, Clock clock) {
        this.keys = keys;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    public Ed25519Key rotate(KeyPurpose purpose) {
        Ed25519Key fresh = keys.rotate(purpose);
        tx.run(em -> audit.appendToEveryOrg(em, "key.rotated", Actor.operator("operator"),
                Map.of("purpose", purpose.prefix(), "kid", fresh.kid()), Map.of("fingerprint", fresh.fingerprint()), clock.instant()));
        return fresh;
    }

    /**
     * @return whether a key was retired
     * @throws IllegalStateException for the key that signs now
     */
    public boolean retire(String kid) {
        boolean retired = keys.retire(kid);
        if (retired) {
            tx.run(em -> audit.appendToEveryOrg(em, "key.retired", Actor.operator("operator"), Map.of("kid", kid), Map.of(),
                    clock.instant()));
        }
        return retired;
    }
}
