package dev.ccp.server.github.control;

/**
 * One file of a pull request, as GitHub's "List pull request files" API gives it.
 *
 * @param filename the file's path in the repository after the change
 * @param status {@code added}, {@code removed}, {@code modified}, {@code renamed}, {@code copied},
 *     {@code changed} or {@code unchanged}
 * @param additions lines added
 * @param deletions lines removed
 * @param changes lines added and removed together
 * @param patch the unified diff hunks of the file; {@code null} for a binary file or a diff GitHub
 *     found too large to show
 * @param previousFilename the path before a rename or copy, otherwise {@code null}
 */
public record PullFile(String filename, String status, int additions, int deletions, int changes, String patch,
        String previousFilename) {

    /** Whether the pull request deletes the file, so it has no lines on the new side. */
    public boolean removed() {
        return "removed".equals(status);
    }

    /** The lines the file changes, even when GitHub left {@code changes} out. */
    public int changedLines() {
        return Math.max(changes, additions + deletions);
    }
}
