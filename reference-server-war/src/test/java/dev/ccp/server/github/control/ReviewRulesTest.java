package dev.ccp.server.github.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.ccp.server.github.control.Finding.Severity;
import dev.ccp.spi.policy.PolicyDocument;
import dev.ccp.spi.wire.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewRulesTest {

    static final String GITHUB_TOKEN = "ghp_" + "EXAMPLE0123456789abcdefghijEXAMPLE01";

    private final PolicyDocument policy = policy(true, "error");

    static PolicyDocument policy(boolean enabled, String failOn) {
        String json = "{\"schema\":\"ccp.policy/v1\","
                + "\"paths\":{\"deny\":[\"**/.env\",\"secrets/**\",\"**/*.pem\"]},"
                + "\"review\":{\"enabled\":" + enabled + ",\"paths\":[\"src/auth/**\",\"db/**\",\"assets/**\"],"
                + "\"ignore_paths\":[\"src/auth/generated/**\"],\"fail_on\":\"" + failOn + "\",\"max_comments\":2}}";
        try {
            return PolicyDocument.of(Json.lenient().readTree(json));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static PullFile modified(String path, String patch) {
        int added = (int) patch.lines().filter(l -> l.startsWith("+")).count();
        int removed = (int) patch.lines().filter(l -> l.startsWith("-")).count();
        return new PullFile(path, "modified", added, removed, added + removed, patch, null);
    }

    static PullFile file(String path, String status, int additions, int deletions, String patch, String previous) {
        return new PullFile(path, status, additions, deletions, additions + deletions, patch, previous);
    }

    @Test
    void aChangeUnderADeniedPathIsAnErrorAtItsFirstCommentableLine() {
        List<Finding> findings = ReviewRules.review(policy, List.of(
                modified(".env", "@@ -3,2 +3,3 @@\n A=1\n+B=2\n C=3"),
                modified("app/config/.env", "@@ -10 +10 @@\n-A=1\n+A=2")));

        assertThat(findings).extracting(Finding::path, Finding::line, Finding::severity, Finding::rule).containsExactly(
                tuple(".env", 3, Severity.ERROR, "denied-path"),
                tuple("app/config/.env", 10, Severity.ERROR, "denied-path"));
        assertThat(findings.get(0).message()).contains("paths.deny");
    }

    @Test
    void aFileUnderReviewPathsNeedsAPersonOncePerFile() {
        List<Finding> findings = ReviewRules.review(policy, List.of(
                modified("src/auth/Login.java", "@@ -5,2 +5,3 @@\n a\n+b\n c\n@@ -40,1 +41,2 @@\n d\n+e")));

        assertThat(findings).extracting(Finding::path, Finding::line, Finding::severity, Finding::rule)
                .containsExactly(tuple("src/auth/Login.java", 5, Severity.WARNING, "needs-review"));
    }

    @Test
    void aDeniedFileUnderReviewPathsIsReportedAsDeniedOnly() {
        List<Finding> findings = ReviewRules.review(policy, List.of(modified("db/server.pem", "@@ -1 +1 @@\n-a\n+b")));

        assertThat(findings).extracting(Finding::rule).containsExactly("denied-path");
    }

    @Test
    void ignorePathsAreNotReviewed() {
        List<Finding> findings = ReviewRules.review(policy, List.of(
                modified("src/auth/generated/Stub.java", "@@ -1 +1 @@\n-a\n+b"),
                modified("src/main/App.java", "@@ -1 +1 @@\n-a\n+b")));

        assertThat(findings).isEmpty();
    }

    @Test
    void withReviewDisabledOnlyDeniedPathsAndSecretsAreReported() {
        List<Finding> findings = ReviewRules.review(policy(false, "error"), List.of(
                modified("src/auth/Login.java", "@@ -1 +1 @@\n-a\n+b"),
                file("assets/logo.png", "added", 0, 0, null, null),
                file("db/dump.sql", "added", 5000, 0, null, null),
                modified(".env", "@@ -1 +1 @@\n-a\n+b"),
                modified("src/main/App.java", "@@ -1 +1 @@\n-a\n+token = \"" + GITHUB_TOKEN + "\"")));

        assertThat(findings).extracting(Finding::path, Finding::rule).containsExactly(
                tuple(".env", "denied-path"),
                tuple("src/main/App.java", "secret"));
    }

    @Test
    void removingADeniedFileIsDeniedOnTheFileItself() {
        List<Finding> findings = ReviewRules.review(policy, List.of(
                file("secrets/prod/key.txt", "removed", 0, 2, "@@ -1,2 +0,0 @@\n-a\n-b", null),
                file("src/auth/Old.java", "removed", 0, 1, "@@ -1 +0,0 @@\n-a", null),
                file("assets/old.png", "removed", 0, 0, null, null)));

        assertThat(findings).extracting(Finding::path, Finding::line, Finding::rule).containsExactly(
                tuple("assets/old.png", 0, "needs-review"),
                tuple("secrets/prod/key.txt", 0, "denied-path"),
                tuple("src/auth/Old.java", 0, "needs-review"));
    }

    @Test
    void renamingAFileOutOfADeniedOrReviewedPathCounts() {
        List<Finding> findings = ReviewRules.review(policy, List.of(
                file("docs/key.txt", "renamed", 0, 0, null, "secrets/key.txt"),
                file("src/auth/generated/Moved.java", "renamed", 0, 0, null, "src/auth/Moved.java")));

        assertThat(findings).extracting(Finding::path, Finding::rule).containsExactly(
                tuple("docs/key.txt", "denied-path"),
                tuple("src/auth/generated/Moved.java", "needs-review"));
    }

    @Test
    void aFileWithoutADiffUnderReviewPathsIsUnreadable() {
        List<Finding> findings = ReviewRules.review(policy, List.of(
                file("assets/logo.png", "added", 0, 0, null, null),
                file("img/logo.png", "added", 0, 0, null, null),
                file("assets/same.png", "renamed", 0, 0, null, "assets/old/same.png")));

        assertThat(findings).extracting(Finding::path, Finding::line, Finding::severity, Finding::rule).containsExactly(
                tuple("assets/logo.png", 0, Severity.WARNING, "binary"),
                tuple("assets/logo.png", 0, Severity.WARNING, "needs-review"),
                tuple("assets/same.png", 0, Severity.WARNING, "needs-review"));
    }

    @Test
    void aFileWithMoreChangedLinesThanTheLimitIsLarge() {
        List<Finding> findings = ReviewRules.review(policy, List.of(
                file("db/dump.sql", "modified", 1500, 501, "@@ -1 +1 @@\n-a\n+b", null),
                file("db/seed.sql", "modified", 1000, 1000, "@@ -1 +1 @@\n-a\n+b", null),
                file("db/huge.sql", "added", 90_000, 0, null, null),
                file("src/main/Big.java", "added", 5000, 0, null, null)));

        assertThat(findings).extracting(Finding::path, Finding::rule).containsExactly(
                tuple("db/dump.sql", "large-file"),
                tuple("db/dump.sql", "needs-review"),
                tuple("db/huge.sql", "large-file"),
                tuple("db/huge.sql", "needs-review"),
                tuple("db/seed.sql", "needs-review"));
        assertThat(findings.get(0).message()).contains("2001", String.valueOf(ReviewRules.LARGE_FILE_LINES));
    }

    @Test
    void secretsAreLookedForInAddedLinesOnly() {
        String patch = String.join("\n",
                "@@ -1,3 +1,4 @@",
                " context = \"" + GITHUB_TOKEN + "\"",
                "-removed = \"" + GITHUB_TOKEN + "\"",
                "+added = \"" + GITHUB_TOKEN + "\"",
                "+both = \"" + GITHUB_TOKEN + "\" and AKIA0123EXAMPLE45678",
                " tail");

        List<Finding> findings = ReviewRules.review(policy, List.of(modified("src/main/Config.java", patch)));

        assertThat(findings).extracting(Finding::line, Finding::severity, Finding::rule, Finding::title).containsExactly(
                tuple(2, Severity.ERROR, "secret", "Possible GitHub token"),
                tuple(3, Severity.ERROR, "secret", "Possible AWS access key id"));
    }

    @Test
    void aFindingNeverShowsTheSecret() {
        List<Finding> findings = ReviewRules.review(policy, List.of(
                modified("src/main/Config.java", "@@ -0,0 +1 @@\n+token = \"" + GITHUB_TOKEN + "\"")));

        Finding finding = findings.get(0);
        assertThat(finding.message()).contains("ghp_EXAM…").doesNotContain(GITHUB_TOKEN.substring(4, 12));
        assertThat(finding.title()).doesNotContain(GITHUB_TOKEN.substring(4, 12));
    }

    @Test
    void findingsAreOrderedByPathThenLine() {
        List<PullFile> files = new ArrayList<>(List.of(
                modified("src/auth/B.java", "@@ -0,0 +1,3 @@\n+a\n+b\n+c = \"" + GITHUB_TOKEN + "\""),
                modified("src/auth/A.java", "@@ -7,1 +7,2 @@\n x\n+key = \"" + GITHUB_TOKEN + "\""),
                modified(".env", "@@ -1 +1 @@\n-a\n+b")));

        List<Finding> findings = ReviewRules.review(policy, files);
        java.util.Collections.reverse(files);

        assertThat(findings).extracting(Finding::path, Finding::line, Finding::rule).containsExactly(
                tuple(".env", 1, "denied-path"),
                tuple("src/auth/A.java", 7, "needs-review"),
                tuple("src/auth/A.java", 8, "secret"),
                tuple("src/auth/B.java", 1, "needs-review"),
                tuple("src/auth/B.java", 3, "secret"));
        assertThat(ReviewRules.review(policy, files)).isEqualTo(findings);
    }

    @Test
    void maxCommentsIsLeftToTheCaller() {
        List<Finding> findings = ReviewRules.review(policy, List.of(
                modified("src/auth/A.java", "@@ -1 +1 @@\n-a\n+b"),
                modified("src/auth/B.java", "@@ -1 +1 @@\n-a\n+b"),
                modified("src/auth/C.java", "@@ -1 +1 @@\n-a\n+b"),
                modified("src/auth/D.java", "@@ -1 +1 @@\n-a\n+b")));

        assertThat(policy.review().maxComments()).isEqualTo(2);
        assertThat(findings).hasSize(4);
    }

    @Test
    void filesWithoutANameAreSkipped() {
        List<Finding> findings = ReviewRules.review(policy, Arrays.asList(null, file(null, "added", 1, 0, "@@ -0,0 +1 @@\n+a", null),
                file(" ", "added", 1, 0, "@@ -0,0 +1 @@\n+a", null)));

        assertThat(findings).isEmpty();
    }

    @Test
    void failOnNeverSucceedsWhenCleanAndIsNeutralWithFindings() {
        PolicyDocument never = policy(true, "never");

        assertThat(ReviewRules.conclusion(never, List.of())).isEqualTo(ReviewRules.SUCCESS);
        assertThat(ReviewRules.conclusion(never, List.of(finding(Severity.NOTICE)))).isEqualTo(ReviewRules.NEUTRAL);
        assertThat(ReviewRules.conclusion(never, List.of(finding(Severity.ERROR)))).isEqualTo(ReviewRules.NEUTRAL);
        assertThat(ReviewRules.NEUTRAL).isEqualTo("neutral");
    }

    @Test
    void failOnErrorFailsOnAnErrorOnly() {
        PolicyDocument error = policy(true, "error");

        assertThat(ReviewRules.conclusion(error, List.of())).isEqualTo(ReviewRules.SUCCESS);
        assertThat(ReviewRules.conclusion(error, List.of(finding(Severity.WARNING), finding(Severity.NOTICE))))
                .isEqualTo(ReviewRules.SUCCESS);
        assertThat(ReviewRules.conclusion(error, List.of(finding(Severity.WARNING), finding(Severity.ERROR))))
                .isEqualTo(ReviewRules.FAILURE);
    }

    @Test
    void failOnWarningFailsOnAWarningOrAnError() {
        PolicyDocument warning = policy(true, "warning");

        assertThat(ReviewRules.conclusion(warning, List.of())).isEqualTo(ReviewRules.SUCCESS);
        assertThat(ReviewRules.conclusion(warning, List.of(finding(Severity.NOTICE)))).isEqualTo(ReviewRules.SUCCESS);
        assertThat(ReviewRules.conclusion(warning, List.of(finding(Severity.WARNING)))).isEqualTo(ReviewRules.FAILURE);
        assertThat(ReviewRules.conclusion(warning, List.of(finding(Severity.ERROR)))).isEqualTo(ReviewRules.FAILURE);
        assertThat(ReviewRules.FAILURE).isEqualTo("failure");
    }

    @Test
    void anUnknownFailOnIsReadAsError() {
        PolicyDocument odd = policy(true, "sometimes");

        assertThat(ReviewRules.conclusion(odd, List.of(finding(Severity.WARNING)))).isEqualTo(ReviewRules.SUCCESS);
        assertThat(ReviewRules.conclusion(odd, List.of(finding(Severity.ERROR)))).isEqualTo(ReviewRules.FAILURE);
    }

    @Test
    void theConclusionCountsEveryFindingOfAReview() {
        List<Finding> findings = ReviewRules.review(policy(true, "warning"), List.of(modified("src/auth/A.java", "@@ -1 +1 @@\n-a\n+b")));

        assertThat(ReviewRules.conclusion(policy(true, "warning"), findings)).isEqualTo(ReviewRules.FAILURE);
        assertThat(ReviewRules.conclusion(policy(true, "error"), findings)).isEqualTo(ReviewRules.SUCCESS);
    }

    private static Finding finding(Severity severity) {
        return new Finding("a", 1, severity, "rule", "title", "message");
    }
}
