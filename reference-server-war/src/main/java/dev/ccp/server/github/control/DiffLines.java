package dev.ccp.server.github.control;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of one file's unified diff, as the new file numbers them: the lines the change adds,
 * and the lines a review comment may be attached to. GitHub accepts a comment on the new side
 * ({@code RIGHT}) only on a line the diff shows there, added or context; anywhere else it refuses
 * the whole review.
 *
 * <p>The patch comes from GitHub, so reading it never throws: a hunk whose header cannot be read is
 * skipped up to the next header, a header without counts means one line as in {@code diff -u}, and
 * {@code \r\n} line ends count as {@code \n}.
 */
public final class DiffLines {

    private static final DiffLines NONE = new DiffLines(List.of(), new TreeSet<>());
    /** {@code @@ -a,b +c,d @@ optional text}; nine digits at most, so a number always fits an int. */
    private static final Pattern HUNK = Pattern.compile("@@ -(\\d{1,9})(?:,(\\d{1,9}))? \\+(\\d{1,9})(?:,(\\d{1,9}))? @@.*");

    private final List<Line> added;
    private final NavigableSet<Integer> commentable;

    private DiffLines(List<Line> added, NavigableSet<Integer> commentable) {
        this.added = List.copyOf(added);
        this.commentable = Collections.unmodifiableNavigableSet(commentable);
    }

    /** An added line: its number in the new file and its text without the leading {@code +}. */
    public record Line(int number, String text) {
    }

    /** Reads a file's patch; {@code null} or empty (a binary file, a diff too large) has no lines. */
    public static DiffLines of(String patch) {
        if (patch == null || patch.isEmpty()) {
            return NONE;
        }
        List<Line> added = new ArrayList<>();
        NavigableSet<Integer> commentable = new TreeSet<>();
        int oldLeft = 0;
        int newLeft = 0;
        int next = 0;
        for (String raw : patch.split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.startsWith("@@")) {
                Matcher header = HUNK.matcher(line);
                if (header.matches()) {
                    oldLeft = count(header.group(2));
                    next = Integer.parseInt(header.group(3));
                    newLeft = count(header.group(4));
                } else {
                    oldLeft = 0;
                    newLeft = 0;
                }
                continue;
            }
            if (oldLeft <= 0 && newLeft <= 0) {
                continue; // outside a hunk: file headers, a trailing empty line, or a hunk we could not read
            }
            char kind = line.isEmpty() ? ' ' : line.charAt(0); // some tools strip the space of an empty context line
            if (kind == '+' && newLeft > 0) {
                added.add(new Line(next, line.substring(1)));
                commentable.add(next++);
                newLeft--;
            } else if (kind == '-' && oldLeft > 0) {
                oldLeft--;
            } else if (kind == ' ' && newLeft > 0) {
                commentable.add(next++);
                newLeft--;
                oldLeft--;
            } else if (kind != '\\') {
                oldLeft = 0; // not what the header promised: drop the rest of the hunk rather than guess
                newLeft = 0;
            }
        }
        return added.isEmpty() && commentable.isEmpty() ? NONE : new DiffLines(added, commentable);
    }

    /** The added lines, in order. */
    public List<Line> added() {
        return added;
    }

    /** The new-file lines a review comment may be attached to, in order. */
    public NavigableSet<Integer> commentable() {
        return commentable;
    }

    public boolean isCommentable(int line) {
        return commentable.contains(line);
    }

    /** The first line a comment may be attached to, for a finding about the whole file; 0 when there is none. */
    public int firstCommentable() {
        return commentable.isEmpty() ? 0 : commentable.first();
    }

    /** A count left out of the header is 1, as {@code diff -u} writes {@code @@ -1 +1 @@}. */
    private static int count(String digits) {
        return digits == null ? 1 : Integer.parseInt(digits);
    }
}
