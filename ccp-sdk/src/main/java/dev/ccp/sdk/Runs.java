package dev.ccp.sdk;

import dev.ccp.sdk.internal.Engine;
import dev.ccp.sdk.internal.LiveRun;
import dev.ccp.sdk.internal.RunCalls;
import dev.ccp.spi.runs.Decision;
import dev.ccp.spi.wire.RunEvents;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.StepView;
import dev.ccp.spi.wire.WorkspaceRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Runs: work a coding tool does in a git workspace, step by step, under the org's policy. A host
 * {@linkplain #start starts} one and proposes its steps; the other methods read and decide the org's
 * runs on the server (they need a login). Get it from {@link CcpClient#runs()}.
 */
public final class Runs {

    private final Engine engine;
    private final RunCalls calls;

    Runs(Engine engine) {
        this.engine = engine;
        this.calls = new RunCalls(engine);
    }

    /**
     * Starts a run in the git repository the options' folder lies in (its root, branch and HEAD are
     * read with {@code git}); mirrored to the server when logged in and not offline.
     *
     * @throws IllegalArgumentException when the folder is not inside a git repository
     */
    public Run start(RunOptions options) {
        return new Run(new LiveRun(engine, Objects.requireNonNull(options, "options")));
    }

    /**
     * The git workspace {@code dir} lies in, as a run would record it: root, branch and HEAD.
     *
     * @throws IllegalArgumentException when the folder is not inside a git repository
     */
    public WorkspaceRef workspace(Path dir) {
        return LiveRun.workspaceOf(Objects.requireNonNull(dir, "dir"));
    }

    /** The org's runs, newest first, without their steps; {@code state} and {@code limit} may be null. */
    public List<RunView> list(String state, Integer limit) {
        return calls.list(state, limit);
    }

    /** A run with its steps, diffs, decisions, outcomes and commit. */
    public RunView get(String id) {
        return calls.get(requireText(id));
    }

    /**
     * The run's events after {@code after}; the server holds the request up to {@code wait} (at most
     * 60 s) until there is one.
     */
    public RunEvents events(String id, long after, Duration wait) {
        long seconds = Objects.requireNonNull(wait, "wait").toSeconds();
        if (seconds < 0 || seconds > 60) {
            throw new IllegalArgumentException("wait must be between 0 and 60 seconds: " + wait);
        }
        return calls.events(requireText(id), after, (int) seconds);
    }

    /**
     * Decides a waiting step of any run of the org (its owners and admins, and whoever started it).
     *
     * @throws CcpException {@link CcpException.Kind#CONFLICT} when it was decided already or does not wait
     */
    public StepView decide(String id, int step, Decision decision) {
        if (step < 1) {
            throw new IllegalArgumentException("steps are numbered from 1: " + step);
        }
        return calls.decide(requireText(id), step, Objects.requireNonNull(decision, "decision").request());
    }

    private static String requireText(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a run id must not be blank");
        }
        return id;
    }
}
