package dev.ccp.spi.runs;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Unified diffs of a file change, as {@code git diff} shows them: {@code a/} and {@code b/}
 * prefixes, three lines of context, {@code /dev/null} for a new file. The SDK shows them in the
 * terminal and the server on its pages, so both read the same text.
 */
public final class Diffs {

    private static final int CONTEXT = 3;

    private Diffs() {
    }

    /**
     * The diff of every file of {@code after} against its content in {@code before} (no entry: the
     * file is new), in path order; files whose content does not change are left out.
     */
    public static String unified(Map<String, String> before, Map<String, String> after) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> file : new TreeMap<>(after).entrySet()) {
            String old = before == null ? null : before.get(file.getKey());
            out.append(unified(file.getKey(), old, file.getValue()));
        }
        return out.toString();
    }

    /** The diff of one file; empty when nothing changes. */
    public static String unified(String path, String before, String after) {
        if (after.equals(before)) {
            return "";
        }
        List<String> old = lines(before);
        List<String> now = lines(after);
        Patch<String> patch = DiffUtils.diff(old, now);
        List<String> text = UnifiedDiffUtils.generateUnifiedDiff(before == null ? "/dev/null" : "a/" + path, "b/" + path,
                old, patch, CONTEXT);
        StringBuilder out = new StringBuilder();
        out.append("diff --git a/").append(path).append(" b/").append(path).append('\n');
        if (before == null) {
            out.append("new file\n");
        }
        for (String line : text) {
            if (line.startsWith("@@")) {
                // An empty side starts at line 0 in git's diffs; the library counts it from 1.
                line = old.isEmpty() ? line.replace("@@ -1,0 ", "@@ -0,0 ") : line;
                line = now.isEmpty() ? line.replace(" +1,0 @@", " +0,0 @@") : line;
            }
            out.append(line).append('\n');
        }
        if (before != null && old.equals(now)) {
            out.append("(only the line endings or the final newline change)\n");
        }
        return out.toString();
    }

    private static List<String> lines(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r?\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1); // the newline that ends the last line starts no line of its own
        }
        return lines;
    }
}
