package dev.ccp.spi.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.spi.policy.PolicyDocument;
import dev.ccp.spi.runs.RunPolicy.Verdict;
import dev.ccp.spi.wire.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every step a run proposes, checked against the policy before anything happens. */
class RunPolicyTest {

    static final PolicyDocument POLICY = policy("{\"schema\":\"ccp.policy/v1\","
            + "\"commands\":{\"deny\":[\"rm -rf *\",\"git push --force*\",\"curl * | sh\"]},"
            + "\"paths\":{\"deny\":[\".env\",\"**/secrets/**\"]},"
            + "\"review\":{\"enabled\":true,\"paths\":[\"src/main/**\",\".github/**\"],\"ignore_paths\":[\"src/main/**/*.md\"]}}");

    static PolicyDocument policy(String json) {
        try {
            return PolicyDocument.of(Json.lenient().readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static RunPolicy.Check check(Step step, ApprovalMode mode) {
        return RunPolicy.check(step, POLICY, mode);
    }

    static Step write(String... pathsAndContent) {
        Map<String, String> files = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pathsAndContent.length; i += 2) {
            files.put(pathsAndContent[i], pathsAndContent[i + 1]);
        }
        return new Step.FileChange(files);
    }

    @Test
    void aDeniedCommandIsRefusedWhateverTheApprovalMode() {
        for (ApprovalMode mode : ApprovalMode.values()) {
            RunPolicy.Check check = check(new Step.Command(List.of("rm", "-rf", "build"), "."), mode);
            assertThat(check.verdict()).isEqualTo(Verdict.DENIED);
            assertThat(check.reason()).isEqualTo("the policy denies the command `rm -rf build`");
        }
        assertThat(check(new Step.Command(List.of("git", "push", "--force-with-lease"), "."), ApprovalMode.NONE).verdict())
                .isEqualTo(Verdict.DENIED);
    }

    @Test
    void aChangeTouchingADeniedPathOrLeavingTheWorkspaceIsRefused() {
        assertThat(check(write("README.md", "x", "config/secrets/key.pem", "k"), ApprovalMode.NONE))
                .isEqualTo(new RunPolicy.Check(Verdict.DENIED, "the policy denies changes to config/secrets/key.pem"));
        assertThat(check(write("./.env", "A=1"), ApprovalMode.NONE).verdict()).isEqualTo(Verdict.DENIED);
        for (String escape : List.of("../outside.txt", "/etc/passwd", "src/../../x", "C:\\\\Windows\\\\x", "a\0b")) {
            assertThat(check(write(escape, "x"), ApprovalMode.NONE).verdict()).as(escape).isEqualTo(Verdict.DENIED);
        }
        assertThat(check(new Step.Command(List.of("make"), "../elsewhere"), ApprovalMode.NONE).reason())
                .isEqualTo("the command would run outside the workspace (../elsewhere)");
    }

    @Test
    void aChangeUnderTheReviewPathsWaitsForAPersonEvenInARunThatAsksForNoApprovals() {
        RunPolicy.Check check = check(write("src/main/App.java", "class App {}", "README.md", "hi"), ApprovalMode.NONE);

        assertThat(check).isEqualTo(new RunPolicy.Check(Verdict.NEEDS_APPROVAL, "the policy asks a person to review changes to src/main/App.java"));
        assertThat(check(write("src/main/docs/notes.md", "x"), ApprovalMode.POLICY).verdict()).as("ignored by the review rules")
                .isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void theRestFollowsTheRunsApprovalMode() {
        Step command = new Step.Command(List.of("./mvnw", "verify"), ".");
        Step change = write("README.md", "hello");
        assertThat(check(command, ApprovalMode.ALL).verdict()).isEqualTo(Verdict.NEEDS_APPROVAL);
        assertThat(check(change, ApprovalMode.ALL).verdict()).isEqualTo(Verdict.NEEDS_APPROVAL);
        assertThat(check(command, ApprovalMode.POLICY).verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(check(change, ApprovalMode.NONE).verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(check(new Step.Note("building"), ApprovalMode.ALL).verdict()).as("a note changes nothing").isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void aPolicyWithoutReviewRulesAsksAboutNothingItself() {
        PolicyDocument empty = policy("{\"schema\":\"ccp.policy/v1\"}");
        assertThat(RunPolicy.check(write("src/main/App.java", "x"), empty, ApprovalMode.POLICY).verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(empty.reviewsPath("src/main/App.java")).isFalse();
    }

    @Test
    void stepsAndModesAreReadStrictly() {
        assertThatThrownBy(() -> new Step.FileChange(Map.of())).hasMessageContaining("at least one file");
        assertThatThrownBy(() -> new Step.Command(List.of(), ".")).hasMessageContaining("needs a program");
        assertThat(ApprovalMode.parse(" Policy ")).isEqualTo(ApprovalMode.POLICY);
        assertThatThrownBy(() -> ApprovalMode.parse("some")).hasMessage("approval mode must be all, policy or none, was 'some'");
        assertThat(new Step.Command(List.of("ls"), null).cwd()).isEqualTo(".");
    }
}
