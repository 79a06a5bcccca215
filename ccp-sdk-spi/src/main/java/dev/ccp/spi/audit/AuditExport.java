package dev.ccp.spi.audit;

import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.wire.JsonValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An audit log export in JSON Lines: one entry per line, in order, and the signed checkpoints as
 * lines of their own ({@code {"checkpoint": "<compact JWS>"}}), each after the entry it vouches for
 * (or first, when it anchors an export that starts after pruned entries). Checking one offline needs
 * nothing but the file and the pinned {@code audit} keys.
 */
public final class AuditExport {

    private AuditExport() {
    }

    /** The export of entries and the checkpoints that fall among them. */
    public static String write(List<AuditEntry> entries, Map<Long, String> checkpointBySeq) {
        StringBuilder out = new StringBuilder();
        long first = entries.isEmpty() ? Long.MAX_VALUE : entries.get(0).seq();
        checkpointBySeq.forEach((seq, jws) -> {
            if (seq == first - 1) {
                out.append(line(jws));
            }
        });
        for (AuditEntry e : entries) {
            out.append(new String(JsonValues.write(AuditChain.toJson(e), false), StandardCharsets.UTF_8)).append('\n');
            String jws = checkpointBySeq.get(e.seq());
            if (jws != null) {
                out.append(line(jws));
            }
        }
        return out.toString();
    }

    private static String line(String jws) {
        return new String(JsonValues.write(Map.of("checkpoint", jws), false), StandardCharsets.UTF_8) + "\n";
    }

    /** An export read back: its entries and the checkpoints' compact JWSs, in file order. */
    public record Parsed(List<AuditEntry> entries, List<String> checkpoints) {
    }

    /**
     * Reads an export.
     *
     * @throws IOException naming the first line that is neither an entry nor a checkpoint
     */
    public static Parsed read(List<String> lines) throws IOException {
        List<AuditEntry> entries = new ArrayList<>();
        List<String> checkpoints = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                Map<String, Object> json = JsonValues.readObject(lines.get(i).getBytes(StandardCharsets.UTF_8));
                if (json.size() == 1 && json.get("checkpoint") instanceof String jws) {
                    checkpoints.add(jws);
                } else {
                    entries.add(AuditChain.fromJson(json));
                }
            } catch (IOException | RuntimeException e) {
                throw new IOException("line " + (i + 1) + " is not an audit entry or checkpoint: " + e.getMessage(), e);
            }
        }
        return new Parsed(entries, checkpoints);
    }

    /**
     * What checking an export found.
     *
     * @param broken the first entry that does not fit, or null
     * @param reason why it does not fit (or why the file cannot be trusted), or null
     * @param vouchedTo the last entry a valid checkpoint vouches for; 0 when none does
     * @param checkpoints how many checkpoints the file carries
     * @param anchored whether the file starts at the log's first entry or at a valid checkpoint
     * @param newest the newest valid checkpoint of the file, to remember for the next check; or null
     */
    public record Result(Long broken, String reason, long vouchedTo, int checkpoints, boolean anchored, AuditCheckpoint newest) {
        public boolean valid() {
            return reason == null;
        }
    }

    /**
     * Checks an export: every checkpoint is signed by a trusted {@code audit} key and is for the
     * file's org; the entries form an unbroken chain from the log's start or from a checkpoint;
     * and each checkpoint names exactly the entry the file has at its number. A chain recomputed
     * after an edit fits together, but no longer matches the checkpoints signed before.
     */
    public static Result verify(Parsed export, KeyRing trusted) {
        return verify(export, trusted, null);
    }

    /**
     * The same, and the export must agree with a checkpoint verified before (from an earlier
     * export of the same org): it holds that entry with that hash, unless it starts after it.
     * Without it, whoever can write the server's database could rewrite the log, delete the old
     * checkpoints and have the server sign the result; with it, as with the tree heads that
     * certificate transparency clients keep, the rewrite shows.
     *
     * @param seen a checkpoint verified before, or null
     */
    public static Result verify(Parsed export, KeyRing trusted, AuditCheckpoint seen) {
        Result result = check(export, trusted);
        List<AuditEntry> entries = export.entries();
        if (!result.valid() || seen == null || !seen.org().equals(entries.get(0).org())) {
            return result;
        }
        AuditEntry last = entries.get(entries.size() - 1);
        if (seen.seq() > last.seq()) {
            return new Result(null, "ends at entry " + last.seq() + ", but entry " + seen.seq() + " was verified on " + seen.at()
                    + ": entries were removed", result.vouchedTo(), result.checkpoints(), result.anchored(), null);
        }
        String hashThere = seen.seq() == entries.get(0).seq() - 1 ? entries.get(0).prevHash()
                : entries.stream().filter(e -> e.seq() == seen.seq()).map(AuditEntry::hash).findFirst().orElse(null);
        if (hashThere != null && !hashThere.equals(seen.hash())) {
            return new Result(seen.seq(), "differs from the log verified on " + seen.at() + ": the log was rewritten since",
                    result.vouchedTo(), result.checkpoints(), result.anchored(), null);
        }
        return result;
    }

    private static Result check(Parsed export, KeyRing trusted) {
        List<AuditEntry> entries = export.entries();
        if (entries.isEmpty()) {
            return new Result(null, "holds no audit entries", 0, 0, false, null);
        }
        String org = entries.get(0).org();
        Map<Long, AuditEntry> bySeq = entries.stream().collect(Collectors.toMap(AuditEntry::seq, e -> e, (a, b) -> a));
        AuditCheckpoint anchor = null;
        AuditCheckpoint newest = null;
        long vouched = 0;
        for (String jws : export.checkpoints()) {
            AuditCheckpoint.Verified v = AuditCheckpoint.verify(jws, trusted);
            if (!v.valid()) {
                return new Result(null, "has a checkpoint that is not signed by a pinned audit key (" + v.problem() + ")", 0,
                        export.checkpoints().size(), false, null);
            }
            AuditCheckpoint c = v.checkpoint();
            if (!c.org().equals(org)) {
                return new Result(null, "has a checkpoint of another org (" + c.org() + ")", 0, export.checkpoints().size(), false, null);
            }
            AuditEntry at = bySeq.get(c.seq());
            if (at != null && !at.hash().equals(c.hash())) {
                return new Result(c.seq(), "is not the entry the checkpoint of " + c.at() + " vouches for: the log was rewritten",
                        vouched, export.checkpoints().size(), false, null);
            }
            if (c.seq() == entries.get(0).seq() - 1 && c.hash().equals(entries.get(0).prevHash())) {
                anchor = c;
            }
            if (at != null || anchor == c) {
                vouched = Math.max(vouched, c.seq());
                newest = newest == null || c.seq() > newest.seq() ? c : newest;
            }
        }
        boolean fromStart = entries.get(0).seq() == 1;
        String start = fromStart ? AuditChain.GENESIS : entries.get(0).prevHash();
        AuditChain.Break broken = AuditChain.verify(entries, start);
        if (broken != null) {
            return new Result(broken.seq(), broken.reason(), vouched, export.checkpoints().size(), fromStart || anchor != null, null);
        }
        return new Result(null, null, vouched, export.checkpoints().size(), fromStart || anchor != null, newest);
    }
}
