package dev.ccp.spi.runs;

import dev.ccp.spi.wire.DecisionRequest;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A person's answer to a step that waits: approve, approve with edits (other content for some of
 * the change's files), or reject, and where they gave it.
 *
 * @param approve whether the step may be carried out
 * @param files   for approve with edits: workspace-relative path to the content to write instead of
 *                the proposed one, for some or all of the change's files; empty otherwise
 * @param via     {@code terminal}, {@code editor}, {@code web} or {@code chat}
 */
public record Decision(boolean approve, Map<String, String> files, String via) {

    public Decision {
        Objects.requireNonNull(via, "via");
        files = files == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(files));
        if (!approve && !files.isEmpty()) {
            throw new IllegalArgumentException("a rejection carries no files");
        }
    }

    public static Decision approve(String via) {
        return new Decision(true, Map.of(), via);
    }

    public static Decision approveWithEdits(Map<String, String> files, String via) {
        if (files == null || files.isEmpty()) {
            throw new IllegalArgumentException("approve with edits needs the edited files");
        }
        return new Decision(true, files, via);
    }

    public static Decision reject(String via) {
        return new Decision(false, Map.of(), via);
    }

    /** Whether this approves with other content than the proposed one. */
    public boolean edited() {
        return !files.isEmpty();
    }

    /** As {@code POST /v1/runs/{id}/steps/{n}/decision} takes it. */
    public DecisionRequest request() {
        return new DecisionRequest(approve ? "approve" : "reject", edited() ? files : null, via);
    }
}
