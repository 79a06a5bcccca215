package dev.ccp.spi.audit;

import dev.ccp.spi.license.Ed25519Key;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.license.SignedJson;
import dev.ccp.spi.wire.JsonValues;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The server's signed word that an org's audit log had, at {@code at}, the entry {@code seq} with
 * {@code hash}. The hash chain alone shows an edit only to someone who did not recompute every hash
 * after it; a checkpoint signed with a key of the {@code audit} ring, which a verifier has pinned,
 * also shows a rewritten chain, and lets an export that starts after pruned entries be anchored.
 *
 * @param org the org's id
 * @param seq the entry the checkpoint vouches for
 * @param hash that entry's hash
 * @param at when the checkpoint was made
 */
public record AuditCheckpoint(String org, long seq, String hash, Instant at) {

    /** The JWS {@code typ} of a checkpoint. */
    public static final String TYPE = "ccp-audit-checkpoint+jwt";
    /** The key ring checkpoints are signed with: kids start with {@code audit-}. */
    public static final String KEY_PURPOSE = "audit";

    public AuditCheckpoint {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(at, "at");
    }

    /** The checkpoint as a compact JWS, signed with an {@code audit} key. */
    public String sign(Ed25519Key key) {
        if (!key.kid().startsWith(KEY_PURPOSE + "-")) {
            throw new IllegalArgumentException("audit checkpoints are signed with an audit key, not " + key.kid());
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("org", org);
        claims.put("seq", seq);
        claims.put("hash", hash);
        claims.put("at", at.toString());
        return SignedJson.sign(TYPE, JsonValues.write(claims, false), key);
    }

    /** A checkpoint whose signature was checked, or why it was refused. */
    public record Verified(AuditCheckpoint checkpoint, String kid, String problem) {
        public boolean valid() {
            return problem == null;
        }
    }

    /** Checks a checkpoint's signature against the {@code audit} keys of {@code trusted}, then reads it. */
    public static Verified verify(String jws, KeyRing trusted) {
        SignedJson.Outcome outcome = SignedJson.verify(jws, TYPE, trusted.forPurpose(KEY_PURPOSE));
        if (outcome.verified() == null) {
            return new Verified(null, outcome.kid(), outcome.detail());
        }
        try {
            Map<String, Object> claims = JsonValues.readObject(outcome.verified().payload());
            Instant at = JsonValues.instant(claims, "at");
            if (at == null) {
                return new Verified(null, outcome.kid(), "\"at\" is missing");
            }
            return new Verified(new AuditCheckpoint(JsonValues.requiredString(claims, "org"), JsonValues.requiredLong(claims, "seq"),
                    JsonValues.requiredString(claims, "hash"), at), outcome.kid(), null);
        } catch (IOException | RuntimeException e) {
            return new Verified(null, outcome.kid(), "its content is not a checkpoint: " + e.getMessage());
        }
    }
}
