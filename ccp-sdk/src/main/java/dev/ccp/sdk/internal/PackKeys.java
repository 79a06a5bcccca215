package dev.ccp.sdk.internal;

import dev.ccp.spi.audit.AuditCheckpoint;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.policy.PolicyPackCodec;

/**
 * The key purposes a client verifies offline: license packs, policy packs and audit checkpoints.
 * They are pinned (or built in) together, and each kind of signed thing is checked only against the
 * keys of its own purpose, so a key of one purpose never vouches for another.
 */
public final class PackKeys {

    public static final String LICENSE = "license";

    private PackKeys() {
    }

    public static boolean verifiedOffline(String kid) {
        return kid.startsWith(LICENSE + "-") || kid.startsWith(PolicyPackCodec.KEY_PURPOSE + "-")
                || kid.startsWith(AuditCheckpoint.KEY_PURPOSE + "-");
    }

    /** The purposes a ring has keys for. */
    static java.util.Set<String> purposes(KeyRing ring) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        ring.keys().forEach(k -> out.add(k.kid().substring(0, Math.max(0, k.kid().indexOf('-')))));
        return out;
    }
}
