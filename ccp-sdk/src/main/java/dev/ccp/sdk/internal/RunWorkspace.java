package dev.ccp.sdk.internal;

import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.CcpException.Kind;
import dev.ccp.spi.runs.Step;
import dev.ccp.spi.wire.StepView;
import dev.ccp.spi.wire.WorkspaceRef;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The workspace a run works in: what a change would overwrite, a ready step carried out there (a
 * change's files written all or none, a command run in a folder inside it), and the files written
 * since the last commit, committed together.
 */
final class RunWorkspace {

    private final Git git;
    private final Duration commandTimeout;
    private final Set<String> uncommitted = new LinkedHashSet<>();

    RunWorkspace(Path root, Duration commandTimeout) {
        this.git = Git.of(root.toAbsolutePath());
        this.commandTimeout = commandTimeout;
    }

    WorkspaceRef ref() {
        return git.workspace();
    }

    /** The files a change would write, as they are now (absent ones left out). */
    Map<String, String> before(Step.FileChange change) {
        try {
            return WorkspaceFiles.read(git.root(), change.files().keySet());
        } catch (IOException e) {
            throw new CcpException(Kind.IO, "cannot read the files the change would write: " + e.getMessage(), null, e);
        }
    }

    /** Carries out a ready step here; answers its view {@code done} or {@code failed}, with a command's exit code and output. */
    StepView carryOut(LiveStep live) {
        StepView v = live.view();
        if (live.step instanceof Step.FileChange) {
            Map<String, String> content = live.content();
            try {
                WorkspaceFiles.write(git.root(), content, live.before);
                synchronized (this) {
                    uncommitted.addAll(content.keySet());
                }
                return LiveStep.with(v, "done", v.decision(), null, null);
            } catch (IOException e) {
                return LiveStep.with(v, "failed", v.decision(), null, e.getMessage());
            }
        }
        if (live.step instanceof Step.Command command) {
            Processes.Result result = command(command);
            return LiveStep.with(v, result.ok() ? "done" : "failed", v.decision(), result.exitCode(), result.output());
        }
        return LiveStep.with(v, "done", v.decision(), null, null);
    }

    private Processes.Result command(Step.Command command) {
        Path dir = git.root().resolve(command.cwd()).normalize();
        try {
            if (!dir.startsWith(git.root()) || !dir.toRealPath().startsWith(git.root().toRealPath())) {
                return new Processes.Result(null, command.cwd() + " is outside the workspace");
            }
        } catch (IOException e) {
            return new Processes.Result(null, "no folder " + command.cwd() + " in the workspace");
        }
        return Processes.run(command.argv(), dir, commandTimeout);
    }

    /** Commits the files written since the last commit; answers the new commit, or null when there was nothing to commit. */
    synchronized String commit(String title, String trailer) {
        if (uncommitted.isEmpty()) {
            return null;
        }
        String hash = git.commit(uncommitted, title, trailer);
        uncommitted.clear();
        return hash;
    }
}
