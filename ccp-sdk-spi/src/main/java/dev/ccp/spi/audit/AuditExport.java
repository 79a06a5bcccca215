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
 * An audit log export in JSON Lines: one entry per line, in order; the signed checkpoints as lines
 * of their own ({@code {"checkpoint": "<compact JWS>"}}), each after the entry it vouches for (or
 * first, when it anchors an export that starts after pruned entries); and last, the signed head
 * ({@code {"head": "<compact JWS>"}}, {@link AuditHead}) that says where the log starts and ends.
 * Checking one offline needs nothing but the file and the pinned {@code audit} keys.
 */
public final class AuditExport {

    private AuditExport() {
    }

    /** The export of entries, the checkpoints that fall among them, and the signed head. */
    public static String write(List<AuditEntry> entries, Map<Long, String> checkpointBySeq, String head) {
        StringBuilder out = new StringBuilder();
        long first = entries.isEmpty() ? Long.MAX_VALUE : entries.get(0).seq();
        checkpointBySeq.forEach((seq, jws) -> {
            if (seq == first - 1) {
                out.append(line("checkpoint", jws));
            }
        });
        for (AuditEntry e : entries) {
            out.append(new String(JsonValues.write(AuditChain.toJson(e), false), StandardCharsets.UTF_8)).append('\n');
            String jws = checkpointBySeq.get(e.seq());
            if (jws != null) {
                out.append(line("checkpoint", jws));
            }
        }
        checkpointBySeq.forEach((seq, jws) -> {
            if (entries.isEmpty() || seq > entries.get(entries.size() - 1).seq()) {
                out.append(line("checkpoint", jws));
            }
        });
        return out.append(line("head", head)).toString();
    }

    private static String line(String kind, String jws) {
        return new String(JsonValues.write(Map.of(kind, jws), false), StandardCharsets.UTF_8) + "\n";
    }

    /** An export read back: its entries, the checkpoints' compact JWSs in file order, and the head's (null when it has none). */
    public record Parsed(List<AuditEntry> entries, List<String> checkpoints, String head) {
    }

    /**
     * Reads an export.
     *
     * @throws IOException naming the first line that is neither an entry, a checkpoint nor the one head
     */
    public static Parsed read(List<String> lines) throws IOException {
        List<AuditEntry> entries = new ArrayList<>();
        List<String> checkpoints = new ArrayList<>();
        String head = null;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                Map<String, Object> json = JsonValues.readObject(lines.get(i).getBytes(StandardCharsets.UTF_8));
                if (json.size() == 1 && json.get("checkpoint") instanceof String jws) {
                    checkpoints.add(jws);
                } else if (json.size() == 1 && json.get("head") instanceof String jws) {
                    if (head != null) {
                        throw new IOException("an export has one head, and this is a second");
                    }
                    head = jws;
                } else {
                    entries.add(AuditChain.fromJson(json));
                }
            } catch (IOException | RuntimeException e) {
                throw new IOException("line " + (i + 1) + " is not an audit entry, checkpoint or head: " + e.getMessage(), e);
            }
        }
        return new Parsed(entries, checkpoints, head);
    }

    /**
     * What checking an export found.
     *
     * @param broken the first entry that does not fit or is missing, or null
     * @param reason why it does not fit (or why the file cannot be trusted), or null
     * @param vouchedTo the last entry a valid checkpoint vouches for; 0 when none does
     * @param checkpoints how many checkpoints the file carries
     * @param anchored whether the file starts at the log's first entry or at a valid checkpoint
     * @param head the file's head, when its signature is good; or null
     * @param newest the newest signed word on the log the file holds (its head), to remember for the next check; or null
     */
    public record Result(Long broken, String reason, long vouchedTo, int checkpoints, boolean anchored, AuditHead head,
            AuditCheckpoint newest) {
        public boolean valid() {
            return reason == null;
        }

        /** Whether the file is refused for leaving entries out on purpose (a filtered export), not for tampering. */
        public boolean partial() {
            return head != null && !head.whole();
        }

        private static Result refused(String reason, int checkpoints) {
            return new Result(null, reason, 0, checkpoints, false, null, null);
        }

        private Result brokenAt(Long seq, String why) {
            return new Result(seq, why, vouchedTo, checkpoints, anchored, head, null);
        }
    }

    /**
     * Checks an export: its head and every checkpoint are signed by a trusted {@code audit} key and
     * are for the file's org; the head is for the whole log, not a filtered part; the entries form
     * an unbroken chain from the first entry the head names to the last, with its hash; and each
     * checkpoint names exactly the entry the file has at its number. A chain recomputed after an
     * edit fits together, but no longer matches the checkpoints signed before; a chain cut at
     * either end no longer matches the head.
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
            return result.brokenAt(null, "ends at entry " + last.seq() + ", but entry " + seen.seq() + " was verified on " + seen.at()
                    + ": entries were removed");
        }
        String hashThere = seen.seq() == entries.get(0).seq() - 1 ? entries.get(0).prevHash()
                : entries.stream().filter(e -> e.seq() == seen.seq()).map(AuditEntry::hash).findFirst().orElse(null);
        if (hashThere != null && !hashThere.equals(seen.hash())) {
            return result.brokenAt(seen.seq(), "differs from the log verified on " + seen.at() + ": the log was rewritten since");
        }
        return result;
    }

    private static Result check(Parsed export, KeyRing trusted) {
        List<AuditEntry> entries = export.entries();
        int count = export.checkpoints().size();
        if (entries.isEmpty()) {
            return Result.refused("holds no audit entries", count);
        }
        String org = entries.get(0).org();
        if (export.head() == null) {
            return Result.refused("has no signed head, so nothing says where the log starts and ends and a removed first or last"
                    + " entry would not show; export the log again", count);
        }
        AuditHead.Verified verifiedHead = AuditHead.verify(export.head(), trusted);
        if (!verifiedHead.valid()) {
            return Result.refused("has a head that is not signed by a pinned audit key (" + verifiedHead.problem() + ")", count);
        }
        AuditHead head = verifiedHead.head();
        if (!head.org().equals(org)) {
            return Result.refused("has the head of another org (" + head.org() + ")", count);
        }
        if (!head.whole()) {
            return new Result(null, "is a filtered export (" + head.filter().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")) + "): the entries it leaves out"
                    + " cannot be told from removed ones, so it cannot be verified", 0, count, false, head, null);
        }
        Map<Long, AuditEntry> bySeq = entries.stream().collect(Collectors.toMap(AuditEntry::seq, e -> e, (a, b) -> a));
        AuditCheckpoint anchor = null;
        long vouched = 0;
        for (String jws : export.checkpoints()) {
            AuditCheckpoint.Verified v = AuditCheckpoint.verify(jws, trusted);
            if (!v.valid()) {
                return Result.refused("has a checkpoint that is not signed by a pinned audit key (" + v.problem() + ")", count);
            }
            AuditCheckpoint c = v.checkpoint();
            if (!c.org().equals(org)) {
                return Result.refused("has a checkpoint of another org (" + c.org() + ")", count);
            }
            AuditEntry at = bySeq.get(c.seq());
            if (at != null && !at.hash().equals(c.hash())) {
                return new Result(c.seq(), "is not the entry the checkpoint of " + c.at() + " vouches for: the log was rewritten",
                        vouched, count, false, head, null);
            }
            if (c.seq() > head.seq()) {
                return new Result(head.seq() + 1, "is missing: the checkpoint of " + c.at() + " vouches for entry " + c.seq()
                        + ", but the log now ends at entry " + head.seq() + ": entries were removed", vouched, count, false, head, null);
            }
            if (c.seq() == entries.get(0).seq() - 1 && c.hash().equals(entries.get(0).prevHash())) {
                anchor = c;
            }
            if (at != null || anchor == c) {
                vouched = Math.max(vouched, c.seq());
            }
        }
        boolean fromStart = entries.get(0).seq() == 1;
        AuditChain.Break broken = head.start(entries);
        if (broken == null) {
            broken = AuditChain.verify(entries, fromStart ? AuditChain.GENESIS : entries.get(0).prevHash());
        }
        if (broken == null) {
            broken = head.end(entries);
        }
        if (broken != null) {
            return new Result(broken.seq(), broken.reason(), vouched, count, fromStart || anchor != null, head, null);
        }
        return new Result(null, null, vouched, count, fromStart || anchor != null, head, head.checkpoint());
    }
}
