package dev.ccp.sdk;

import dev.ccp.spi.runs.ApprovalMode;
import dev.ccp.spi.runs.Approver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How to start a {@link Run}: its title (the commit message), a folder of the git workspace, which
 * steps wait for a person, where it was started from, who on this machine may decide, and how long
 * a command may take. Immutable; each {@code with…} checks its value and returns a copy.
 */
public final class RunOptions {

    private static final Set<String> SOURCES = Set.of("terminal", "editor", "web", "chat", "api");

    private final String title;
    private final Path workspace;
    private final ApprovalMode approval;
    private final String source;
    private final List<Approver> approvers;
    private final Duration commandTimeout;

    private RunOptions(String title, Path workspace, ApprovalMode approval, String source, List<Approver> approvers,
            Duration commandTimeout) {
        this.title = title;
        this.workspace = workspace;
        this.approval = approval;
        this.source = source;
        this.approvers = List.copyOf(approvers);
        this.commandTimeout = commandTimeout;
    }

    /**
     * A run titled {@code title} in the git repository that {@code workspace} lies in; approvals as
     * the policy asks, started from the {@code api}, no approver on this machine, no command timeout.
     */
    public static RunOptions of(String title, Path workspace) {
        if (title == null || title.isBlank() || title.length() > 200) {
            throw new IllegalArgumentException("a run's title is 1 to 200 characters: " + title);
        }
        return new RunOptions(title.strip(), Objects.requireNonNull(workspace, "workspace"), ApprovalMode.POLICY, "api", List.of(), null);
    }

    /** Which steps wait for a person beyond what the policy asks. */
    public RunOptions withApproval(ApprovalMode approval) {
        return new RunOptions(title, workspace, Objects.requireNonNull(approval, "approval"), source, approvers, commandTimeout);
    }

    /** Where the run was started: {@code terminal}, {@code editor}, {@code web}, {@code chat} or {@code api}. */
    public RunOptions withSource(String source) {
        if (!SOURCES.contains(source)) {
            throw new IllegalArgumentException("source must be one of terminal, editor, web, chat, api: " + source);
        }
        return new RunOptions(title, workspace, approval, source, approvers, commandTimeout);
    }

    /** Someone on this machine who is asked about each step that waits, with the server (when mirrored) and any other approver. */
    public RunOptions withApprover(Approver approver) {
        List<Approver> more = new ArrayList<>(approvers);
        more.add(Objects.requireNonNull(approver, "approver"));
        return new RunOptions(title, workspace, approval, source, more, commandTimeout);
    }

    /** How long a command step may run before it is stopped and fails. */
    public RunOptions withCommandTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("the command timeout must be positive: " + timeout);
        }
        return new RunOptions(title, workspace, approval, source, approvers, timeout);
    }

    public String title() {
        return title;
    }

    public Path workspace() {
        return workspace;
    }

    public ApprovalMode approval() {
        return approval;
    }

    public String source() {
        return source;
    }

    public List<Approver> approvers() {
        return approvers;
    }

    /** Null: a command may take as long as it takes. */
    public Duration commandTimeout() {
        return commandTimeout;
    }
}
