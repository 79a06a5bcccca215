package dev.ccp.server.github.control;

import dev.ccp.server.github.control.Finding.Severity;
import dev.ccp.spi.policy.PolicyDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The reviewer's rules: what an org's policy says about the files of a pull request, as findings to
 * post, and the check's conclusion. Pure and quick, so a webhook can afford to run it on every push.
 *
 * <ul>
 *   <li>{@code denied-path}, an error: a file under {@code paths.deny} is added, changed, renamed or
 *       removed. A removal counts: deleting a protected file (a CI guard, a key, a lock) changes it
 *       as much as editing it does. A rename counts when either name is denied, since moving a file
 *       out of a denied folder changes that folder.
 *   <li>{@code needs-review}, a warning, once per file under {@code review.paths} and not
 *       {@code review.ignore_paths} (old or new name), unless the file is already denied.
 *   <li>{@code secret}, an error, on each added line that holds a credential ({@link Secrets});
 *       removed and context lines are not the pull request's doing, so they are not looked at.
 *   <li>{@code binary}, a warning, for a file under review paths GitHub shows no diff for: the
 *       reviewer could not read it, so a person must.
 *   <li>{@code large-file}, a warning, for a file under review paths with more than
 *       {@value #LARGE_FILE_LINES} changed lines.
 * </ul>
 *
 * <p>The path rules and the secrets rule apply whether or not {@code review.enabled} is on; the
 * review-path rules only when it is (as {@link PolicyDocument#reviewsPath} says). Whether to review
 * at all, and how many comments to post ({@code review.max_comments}), is the caller's business:
 * this returns every finding.
 */
public final class ReviewRules {

    /** Changed lines above which a file under review paths is called too large to review well. */
    public static final int LARGE_FILE_LINES = 2000;
    /** The check run's conclusions, as GitHub's API spells them. */
    public static final String SUCCESS = "success";
    public static final String NEUTRAL = "neutral";
    public static final String FAILURE = "failure";

    private ReviewRules() {
    }

    /** The findings for a pull request's files, by path and then line. */
    public static List<Finding> review(PolicyDocument policy, List<PullFile> files) {
        List<Finding> findings = new ArrayList<>();
        for (PullFile file : files) {
            if (file != null && file.filename() != null && !file.filename().isBlank()) {
                review(policy, file, findings);
            }
        }
        findings.sort(Finding.ORDER);
        return List.copyOf(findings);
    }

    /**
     * The check run's conclusion ({@link #SUCCESS}, {@link #NEUTRAL} or {@link #FAILURE}) under
     * {@code review.fail_on}, from all the findings (not only those posted), so capping the
     * comments never changes the verdict: {@code error} fails on an error,
     * {@code warning} on an error or a warning, and otherwise the check succeeds. {@code never}
     * never fails, but is {@code neutral} when there are findings, so the check does not read as a
     * clean bill while comments wait on the pull request; GitHub counts neutral as passing for a
     * required check, so it blocks nothing. An unknown value is read as the default, {@code error}.
     */
    public static String conclusion(PolicyDocument policy, List<Finding> findings) {
        String failOn = policy.review().failOn() == null ? "error" : policy.review().failOn().strip().toLowerCase(Locale.ROOT);
        boolean errors = findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
        boolean warnings = findings.stream().anyMatch(f -> f.severity() == Severity.WARNING);
        if (failOn.equals("never")) {
            return findings.isEmpty() ? SUCCESS : NEUTRAL;
        }
        if (errors || warnings && failOn.equals("warning")) {
            return FAILURE;
        }
        return SUCCESS;
    }

    private static void review(PolicyDocument policy, PullFile file, List<Finding> findings) {
        String path = file.filename();
        String previous = file.previousFilename();
        DiffLines diff = DiffLines.of(file.patch());
        int first = diff.firstCommentable();
        boolean denied = policy.deniesPath(path) || previous != null && policy.deniesPath(previous);
        boolean reviewed = policy.reviewsPath(path) || previous != null && policy.reviewsPath(previous);
        if (denied) {
            findings.add(new Finding(path, first, Severity.ERROR, "denied-path", "Denied path",
                    "The org's policy denies changes to this path (paths.deny). Take this file out of the pull request,"
                            + " or ask an org admin whether the policy should allow it."));
        } else if (reviewed) {
            findings.add(new Finding(path, first, Severity.WARNING, "needs-review", "Needs a person's review",
                    "The org's policy asks a person to review changes to this path (review.paths) before they are merged."));
        }
        if (reviewed && unreadable(file)) {
            findings.add(new Finding(path, first, Severity.WARNING, "binary", "Not readable by the reviewer",
                    "GitHub shows no diff for this file (a binary file, or a diff too large to show), so the reviewer could not"
                            + " check it. A person must look at it."));
        }
        if (reviewed && file.changedLines() > LARGE_FILE_LINES) {
            findings.add(new Finding(path, first, Severity.WARNING, "large-file", "Large change",
                    "This file changes " + file.changedLines() + " lines, more than " + LARGE_FILE_LINES
                            + ". Review it with extra care, or split the change into smaller pull requests."));
        }
        for (DiffLines.Line line : diff.added()) {
            Optional<Secrets.Secret> secret = Secrets.find(path, line.text());
            secret.ifPresent(s -> findings.add(new Finding(path, line.number(), Severity.ERROR, "secret", "Possible " + s.kind(),
                    "This line adds what looks like " + article(s.kind()) + s.kind() + " (" + s.masked() + "). Remove it and revoke it, since it"
                            + " stays in the branch's history; read it from a secret store or the environment instead.")));
        }
    }

    private static String article(String noun) {
        return "AEIOUaeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ";
    }

    /**
     * Whether GitHub gave no diff for a file that has content to read: not a removal, and not a pure
     * rename or an unchanged file, which have nothing new. A diff too large to show is reported as
     * {@code large-file} instead.
     */
    private static boolean unreadable(PullFile file) {
        if (file.patch() != null && !file.patch().isEmpty() || file.removed() || "unchanged".equals(file.status())) {
            return false;
        }
        boolean pureRename = "renamed".equals(file.status()) && file.changedLines() == 0;
        return !pureRename && file.changedLines() <= LARGE_FILE_LINES;
    }
}
