package dev.ccp.spi.audit;

import dev.ccp.spi.wire.JsonValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hash chain of an org's audit log, the same on the server that writes it and for anyone who
 * checks an export offline: each entry's hash is SHA-256 over the previous entry's hash, a newline,
 * and the entry's canonical JSON (members sorted by name at every level, no spaces, the hash itself
 * left out).
 */
public final class AuditChain {

    /** The previous hash of an org's first entry. */
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {
    }

    /** Where a chain stops fitting: the entry, and why. */
    public record Break(long seq, String reason) {
    }

    /** The entry's hash, from its previous hash and content. */
    public static String hash(AuditEntry e) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((e.prevHash() + "\n").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha.digest(canonical(e)));
        } catch (NoSuchAlgorithmException x) {
            throw new IllegalStateException("this JDK has no SHA-256", x);
        }
    }

    /**
     * The entry numbered, linked and hashed after {@code previous} (null for the org's first); its
     * time kept to the millisecond, which every database stores exactly.
     */
    public static AuditEntry append(AuditEntry previous, AuditEntry next) {
        return previous == null ? append(0, GENESIS, next) : append(previous.seq(), previous.hash(), next);
    }

    /** The same after the entry numbered {@code previousSeq} with {@code previousHash} (0 and {@link #GENESIS} for the first). */
    public static AuditEntry append(long previousSeq, String previousHash, AuditEntry next) {
        AuditEntry linked = new AuditEntry(next.org(), previousSeq + 1, next.at().truncatedTo(ChronoUnit.MILLIS), next.action(),
                next.actorType(), next.actorId(), next.targets(), next.details(), previousHash, null);
        return new AuditEntry(linked.org(), linked.seq(), linked.at(), linked.action(), linked.actorType(), linked.actorId(),
                linked.targets(), linked.details(), linked.prevHash(), hash(linked));
    }

    /** The JSON the hash covers: every member but the hash, sorted by name at every level. */
    public static byte[] canonical(AuditEntry e) {
        Map<String, Object> json = members(e);
        json.remove("hash");
        return JsonValues.write(sorted(json), false);
    }

    /** An entry as a JSON object, as exports and the API carry it (one per line in JSON Lines). */
    public static Map<String, Object> toJson(AuditEntry e) {
        return members(e);
    }

    /**
     * An entry from its JSON object.
     *
     * @throws IOException when a member is missing or of the wrong type
     */
    public static AuditEntry fromJson(Map<String, Object> json) throws IOException {
        Object targets = json.get("targets");
        Object details = json.get("details");
        Instant at = JsonValues.instant(json, "at");
        if (at == null) {
            throw new IOException("\"at\" is missing");
        }
        return new AuditEntry(JsonValues.requiredString(json, "org"), JsonValues.requiredLong(json, "seq"), at, JsonValues.requiredString(json, "action"), JsonValues.requiredString(json, "actor_type"),
                JsonValues.string(json, "actor_id"), targets == null ? Map.of() : JsonValues.object(targets, "\"targets\""),
                details == null ? Map.of() : JsonValues.object(details, "\"details\""), JsonValues.requiredString(json, "prev_hash"),
                JsonValues.requiredString(json, "hash"));
    }

    private static Map<String, Object> members(AuditEntry e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("org", e.org());
        json.put("seq", e.seq());
        json.put("at", e.at().toString());
        json.put("action", e.action());
        json.put("actor_type", e.actorType());
        json.put("actor_id", e.actorId());
        json.put("targets", e.targets());
        json.put("details", e.details());
        json.put("prev_hash", e.prevHash());
        json.put("hash", e.hash());
        return json;
    }

    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new TreeMap<>();
            map.forEach((k, v) -> out.put((String) k, sorted(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(AuditChain::sorted).toList();
        }
        return value;
    }

    /**
     * Checks entries of one org in order: each follows the one before it (the next number, its
     * hash as the previous hash) and its own hash matches its content.
     *
     * @param startHash the hash the first entry must follow: {@link #GENESIS} from the start of the
     *     log, or the hash of the entry before the first given (a checkpoint's)
     * @return null when every entry fits, else the first that does not
     */
    public static Break verify(List<AuditEntry> entries, String startHash) {
        String previousHash = startHash;
        Long previousSeq = null;
        String org = entries.isEmpty() ? null : entries.get(0).org();
        for (AuditEntry e : entries) {
            if (!e.org().equals(org)) {
                return new Break(e.seq(), "belongs to another org (" + e.org() + ")");
            }
            if (previousSeq == null ? GENESIS.equals(startHash) && e.seq() != 1 : e.seq() != previousSeq + 1) {
                return new Break(e.seq(), "comes after entry " + (previousSeq == null ? 0 : previousSeq) + ": an entry is missing or out of order");
            }
            if (!e.prevHash().equals(previousHash)) {
                return new Break(e.seq(), "does not follow the entry before it (previous hash " + e.prevHash() + ")");
            }
            if (e.hash() == null || !MessageDigest.isEqual(hash(e).getBytes(StandardCharsets.US_ASCII), e.hash().getBytes(StandardCharsets.US_ASCII))) {
                return new Break(e.seq(), "was changed after it was written (its hash does not match its content)");
            }
            previousHash = e.hash();
            previousSeq = e.seq();
        }
        return null;
    }
}
