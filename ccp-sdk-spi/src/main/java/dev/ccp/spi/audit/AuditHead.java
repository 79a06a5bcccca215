package dev.ccp.spi.audit;

import dev.ccp.spi.license.Ed25519Key;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.license.SignedJson;
import dev.ccp.spi.wire.JsonValues;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The server's signed word, made as it writes an export, of where an org's audit log starts and
 * ends. The chain and the checkpoints show an entry changed, reordered or taken from the middle,
 * but not one cut from either end: without its last entries, or its first, an export still fits
 * together. The server reads both ends from its own record of the log, not from the entries it
 * exports, so a row deleted from the database shows as well as a line deleted from the file.
 *
 * <p>An export that leaves entries out on purpose (a filter, or the size limit) says what it left
 * out in {@code filter}; missing entries cannot be told from removed ones there, so such an
 * export is a report, not something to verify.
 *
 * @param org the org's id
 * @param first the first entry the log keeps: 1, or the one after the checkpoint pruning stopped at
 * @param seq the log's last entry; {@code first - 1} when it keeps none
 * @param hash that entry's hash ({@link AuditChain#GENESIS} before the first)
 * @param filter what the export left out, such as {@code action: member.added}; empty for the whole log
 * @param at when the export was written
 */
public record AuditHead(String org, long first, long seq, String hash, Map<String, String> filter, Instant at) {

    /** The JWS {@code typ} of a head; signed with the {@code audit} ring, as checkpoints are. */
    public static final String TYPE = "ccp-audit-head+jwt";

    public AuditHead {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(at, "at");
        if (first < 1 || seq < first - 1) {
            throw new IllegalArgumentException("a log cannot start at entry " + first + " and end at entry " + seq);
        }
        filter = filter == null ? Map.of() : Map.copyOf(filter);
    }

    /** Whether the export holds the whole log, so that a missing entry shows. */
    public boolean whole() {
        return filter.isEmpty();
    }

    /** The head as a checkpoint, to remember as verified. */
    public AuditCheckpoint checkpoint() {
        return new AuditCheckpoint(org, seq, hash, at);
    }

    /** The head as a compact JWS, signed with an {@code audit} key. */
    public String sign(Ed25519Key key) {
        if (!key.kid().startsWith(AuditCheckpoint.KEY_PURPOSE + "-")) {
            throw new IllegalArgumentException("audit heads are signed with an audit key, not " + key.kid());
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("org", org);
        claims.put("first", first);
        claims.put("seq", seq);
        claims.put("hash", hash);
        claims.put("filter", new TreeMap<>(filter));
        claims.put("at", at.toString());
        return SignedJson.sign(TYPE, JsonValues.write(claims, false), key);
    }

    /** A head whose signature was checked, or why it was refused. */
    public record Verified(AuditHead head, String kid, String problem) {
        public boolean valid() {
            return problem == null;
        }
    }

    /** Checks a head's signature against the {@code audit} keys of {@code trusted}, then reads it. */
    public static Verified verify(String jws, KeyRing trusted) {
        SignedJson.Outcome outcome = SignedJson.verify(jws, TYPE, trusted.forPurpose(AuditCheckpoint.KEY_PURPOSE));
        if (outcome.verified() == null) {
            return new Verified(null, outcome.kid(), outcome.detail());
        }
        try {
            Map<String, Object> claims = JsonValues.readObject(outcome.verified().payload());
            Instant at = JsonValues.instant(claims, "at");
            if (at == null || !claims.containsKey("filter")) {
                return new Verified(null, outcome.kid(), (at == null ? "\"at\"" : "\"filter\"") + " is missing");
            }
            Map<String, String> filter = new TreeMap<>();
            for (Map.Entry<String, Object> e : JsonValues.object(claims.get("filter"), "\"filter\"").entrySet()) {
                filter.put(e.getKey(), String.valueOf(e.getValue()));
            }
            return new Verified(new AuditHead(JsonValues.requiredString(claims, "org"), JsonValues.requiredLong(claims, "first"),
                    JsonValues.requiredLong(claims, "seq"), JsonValues.requiredString(claims, "hash"), filter, at), outcome.kid(), null);
        } catch (IOException | RuntimeException e) {
            return new Verified(null, outcome.kid(), "its content is not an audit head: " + e.getMessage());
        }
    }

    /** Where the entries do not start where the log does: the first entry missing, or the one before the start; null when they do. */
    public AuditChain.Break start(List<AuditEntry> entries) {
        long seq = entries.get(0).seq();
        if (seq > first) {
            return new AuditChain.Break(first, "is missing: the server's signed head of " + at + " says the log starts at entry " + first);
        }
        if (seq < first) {
            return new AuditChain.Break(seq, "comes before entry " + first + ", where the server's signed head of " + at + " says the log starts");
        }
        return null;
    }

    /** Where the entries do not end where the log does, with its hash: the first entry missing or extra; null when they do. */
    public AuditChain.Break end(List<AuditEntry> entries) {
        AuditEntry last = entries.get(entries.size() - 1);
        if (last.seq() < seq) {
            return new AuditChain.Break(last.seq() + 1, "is missing: the server's signed head of " + at + " says the log ends at entry " + seq);
        }
        if (last.seq() > seq) {
            return new AuditChain.Break(seq + 1, "comes after entry " + seq + ", where the server's signed head of " + at + " says the log ends");
        }
        if (!last.hash().equals(hash)) {
            return new AuditChain.Break(seq, "is not the entry the server's signed head of " + at + " names: the log was rewritten");
        }
        return null;
    }
}
