package dev.ccp.sdk;

import dev.ccp.sdk.internal.Engine;
import dev.ccp.sdk.internal.LiveRun;
import dev.ccp.sdk.internal.RunCalls;
import dev.ccp.sdk.internal.RunnerSession;
import dev.ccp.sdk.internal.RunnerTokens;
import dev.ccp.spi.runs.Decision;
import dev.ccp.spi.wire.RunEvents;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.RunnerRequest;
import dev.ccp.spi.wire.RunnerView;
import dev.ccp.spi.wire.StepView;
import dev.ccp.spi.wire.WorkspaceRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Runs: work a coding tool does in a git workspace, step by step, under the org's policy. A host
 * {@linkplain #start starts} one and proposes its steps; the other methods read and decide the org's
 * runs on the server (they need a login), and register the {@linkplain Runner runners} that carry out
 * runs queued there. Get it from {@link CcpClient#runs()}.
 */
public final class Runs {

    private final Engine engine;
    private final RunCalls calls;
    private final RunnerTokens runnerTokens;

    Runs(Engine engine) {
        this.engine = engine;
        this.calls = new RunCalls(engine);
        this.runnerTokens = new RunnerTokens(engine);
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

    /**
     * Registers a runner for the workspace named {@code workspace} (as runs name it: its folder's
     * name). Owners and admins only. The answer's {@link RunnerView#token() token} is shown only here:
     * keep it, for instance with {@link #saveRunnerToken}.
     *
     * @throws CcpException {@link CcpException.Kind#FORBIDDEN} for a member
     */
    public RunnerView registerRunner(String workspace, String name) {
        return calls.registerRunner(new RunnerRequest(requireText(workspace, "a workspace name"), requireText(name, "a runner's name")));
    }

    /** The org's runners, without their tokens. Owners and admins only. */
    public List<RunnerView> runners() {
        return calls.runners();
    }

    /** Revokes a runner: its token stops working at once. Owners and admins only. */
    public void revokeRunner(String id) {
        calls.revokeRunner(requireText(id, "a runner id"));
    }

    /** Where the token of the runner of workspace {@code workspace} is kept: {@code runners/NAME.token} under the home. */
    public Path runnerTokenFile(String workspace) {
        return runnerTokens.file(workspace);
    }

    /**
     * Keeps a registered runner's token in its {@linkplain #runnerTokenFile file}, owner-only and
     * written atomically; answers the file.
     *
     * @throws IllegalArgumentException when the view holds no token (only the registration's answer does)
     * @throws CcpException {@link CcpException.Kind#IO} when it cannot be written
     */
    public Path saveRunnerToken(RunnerView registered) {
        if (Objects.requireNonNull(registered, "registered").token() == null) {
            throw new IllegalArgumentException("runner " + registered.id() + " carries no token: only its registration shows it");
        }
        return runnerTokens.save(registered.workspace(), registered.token());
    }

    /**
     * A runner with {@code token} for the git workspace {@code dir} lies in, on this client's server.
     * Makes no call: the first {@link Runner#claim} does.
     *
     * @throws IllegalArgumentException when the token is blank, or the folder is not inside a git repository
     * @throws IllegalStateException when the client names no server, nor do its credentials
     */
    public Runner runner(String token, Path dir) {
        return new Runner(new RunnerSession(engine, token, Objects.requireNonNull(dir, "dir")));
    }

    private static String requireText(String id) {
        return requireText(id, "a run id");
    }

    private static String requireText(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return text;
    }
}
