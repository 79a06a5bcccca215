package dev.ccp.spi.runs;

import dev.ccp.spi.policy.PolicyDocument;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What happens to a step before anything is done: refused (a command matching
 * {@code commands.deny}, a change touching {@code paths.deny} or leaving the workspace), waiting for
 * a person (a change under the review paths, or anything the run's approval mode asks about), or
 * let through. The same answer in the SDK, the CLI and the server, from the same policy document.
 */
public final class RunPolicy {

    private RunPolicy() {
    }

    /** What the check decided. */
    public enum Verdict { DENIED, NEEDS_APPROVAL, ALLOWED }

    /** The verdict and, for a person, why. */
    public record Check(Verdict verdict, String reason) {
    }

    public static Check check(Step step, PolicyDocument policy, ApprovalMode mode) {
        if (step instanceof Step.Command command) {
            return command(command, policy, mode);
        }
        if (step instanceof Step.FileChange change) {
            return change(change, policy, mode);
        }
        return new Check(Verdict.ALLOWED, "a note changes nothing");
    }

    private static Check command(Step.Command command, PolicyDocument policy, ApprovalMode mode) {
        if (policy.deniesCommand(command.line())) {
            return new Check(Verdict.DENIED, "the policy denies the command `" + command.line() + "`");
        }
        String outside = outside(command.cwd());
        if (outside != null) {
            return new Check(Verdict.DENIED, "the command would run " + outside);
        }
        return mode == ApprovalMode.ALL ? new Check(Verdict.NEEDS_APPROVAL, "this run asks a person about every step")
                : new Check(Verdict.ALLOWED, "the policy lets the command run");
    }

    private static Check change(Step.FileChange change, PolicyDocument policy, ApprovalMode mode) {
        List<String> reviewed = new ArrayList<>();
        for (String path : change.files().keySet()) {
            String outside = outside(path);
            if (outside != null) {
                return new Check(Verdict.DENIED, "the change would write " + outside);
            }
            if (policy.deniesPath(path)) {
                return new Check(Verdict.DENIED, "the policy denies changes to " + path);
            }
            if (policy.reviewsPath(path)) {
                reviewed.add(path);
            }
        }
        if (!reviewed.isEmpty()) {
            // Review paths are the policy's, not the run's: a run that asks for no approvals still gets them.
            return new Check(Verdict.NEEDS_APPROVAL, "the policy asks a person to review changes to " + String.join(", ", reviewed));
        }
        return mode == ApprovalMode.ALL ? new Check(Verdict.NEEDS_APPROVAL, "this run asks a person about every step")
                : new Check(Verdict.ALLOWED, "the policy lets the change through");
    }

    /** Why a workspace-relative path leaves the workspace, or null when it stays inside. */
    static String outside(String path) {
        String normal = path.replace('\\', '/');
        if (normal.isEmpty() || normal.startsWith("/") || normal.matches("^[A-Za-z]:.*") || normal.indexOf('\0') >= 0) {
            return "outside the workspace (" + path + ")";
        }
        try {
            Path resolved = Path.of("/workspace").resolve(normal).normalize();
            return resolved.startsWith("/workspace") ? null : "outside the workspace (" + path + ")";
        } catch (InvalidPathException e) {
            return "to a path that is not one (" + path + ")";
        }
    }
}
