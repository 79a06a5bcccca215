package dev.ccp.server.github.control;

import java.util.Comparator;
import java.util.Objects;

/**
 * One thing the reviewer found in a pull request, to post as a review comment.
 *
 * @param path the file, as the pull request names it now
 * @param line a line of the new file that GitHub lets a comment be attached to, or 0 for a file
 *     without such lines (a removed or binary file): the comment then goes on the file
 * @param rule {@code denied-path}, {@code needs-review}, {@code secret}, {@code binary} or {@code large-file}
 * @param title a few words, for the comment's heading
 * @param message what is wrong and what to do; it never holds a secret's value
 */
public record Finding(String path, int line, Severity severity, String rule, String title, String message) {

    /** By path, then line, then the most severe first, so a review reads the same every time. */
    public static final Comparator<Finding> ORDER = Comparator.comparing(Finding::path)
            .thenComparingInt(Finding::line)
            .thenComparing(Finding::severity)
            .thenComparing(Finding::rule)
            .thenComparing(Finding::message);

    public Finding {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(message, "message");
        if (line < 0) {
            throw new IllegalArgumentException("line " + line);
        }
    }

    /** How much a finding weighs; GitHub's check annotation levels are {@code failure}, {@code warning} and {@code notice}. */
    public enum Severity {
        ERROR, WARNING, NOTICE
    }
}
