package dev.ccp.sdk;

import dev.ccp.sdk.internal.LiveRun;
import dev.ccp.spi.runs.Decision;
import dev.ccp.spi.runs.Step;
import dev.ccp.spi.wire.RunEvents;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.StepView;
import dev.ccp.spi.wire.WorkspaceRef;
import java.time.Duration;
import java.util.Objects;

/**
 * A run in progress in a git workspace. Each step is {@linkplain #propose proposed}, checked against
 * the policy in force, decided when it waits, then carried out; {@link #finish()} commits the accepted
 * changes with a {@code Ccp-Run:} trailer.
 *
 * <pre>{@code
 * try (Run run = ccp.runs().start(RunOptions.of("Fix the flaky test", workspace).withApprover(prompt))) {
 *     Proposal change = run.propose(new Step.FileChange(Map.of("src/Test.java", fixed)));
 *     if (change.await(Duration.ofMinutes(10)).map(v -> v.state().equals("ready")).orElse(false)) {
 *         change.carryOut();
 *     }
 *     run.finish();
 * }
 * }</pre>
 *
 * <p>Logged in (and not offline), the run is mirrored to the server: people follow and decide it on
 * the web, in an editor or in chat, the server's verdicts count, and the first decision wins. When
 * the server cannot be reached the run carries on on this machine; the failure is logged, never
 * thrown. Thread-safe.
 */
public final class Run implements AutoCloseable {

    private static final Duration MOST_WAIT = Duration.ofSeconds(60);

    private final LiveRun live;

    Run(LiveRun live) {
        this.live = live;
    }

    /** The server's id for a mirrored run, else a local one ({@code run_local_…}). */
    public String id() {
        return live.id();
    }

    /** Whether the server follows this run; false from the moment mirroring failed. */
    public boolean mirrored() {
        return live.mirrored();
    }

    public WorkspaceRef workspace() {
        return live.workspace();
    }

    /**
     * Proposes the next step. Never waits for a person: the answer says whether the step is denied,
     * waits for a decision, or is ready.
     *
     * @throws IllegalStateException when the run has ended
     * @throws CcpException {@link CcpException.Kind#IO} when the files a change would write cannot be read
     */
    public Proposal propose(Step step) {
        return new Proposal(live, live.propose(Objects.requireNonNull(step, "step")));
    }

    /** What the run does now, for the people following it. */
    public void progress(String phase, String message) {
        live.progress(Objects.requireNonNull(phase, "phase"), message);
    }

    /**
     * Commits the accepted changes carried out so far, and only them, with the run's title as the
     * message and a {@code Ccp-Run: <id>} trailer. Answers the run's commit, null while nothing was
     * committed.
     *
     * @throws CcpException {@link CcpException.Kind#IO} when git refuses, with its words
     */
    public String commit() {
        return live.commit();
    }

    /** Commits what is accepted and ends the run as {@code succeeded}. */
    public RunView finish() {
        live.commit();
        return live.end("succeeded", null);
    }

    /** Ends the run as {@code failed}; what was not committed before stays uncommitted. */
    public RunView fail(String message) {
        return live.end("failed", message);
    }

    /** Ends the run as {@code cancelled}. */
    public RunView cancel(String message) {
        return live.end("cancelled", message);
    }

    /**
     * The run as it stands, in the server's shape: each change carries its new content ({@code files})
     * and the content its files held when it was proposed ({@code before}; no entry for a file it
     * creates), with the diff between them.
     */
    public RunView view() {
        return live.view();
    }

    /**
     * What happened to the run on this machine after event {@code after} (events are numbered from 1):
     * its steps, decisions (also those that came from the server), outcomes, progress, state and
     * commit. Waits up to {@code wait} until there is one; the answer's {@code next} is what to pass
     * as {@code after} next time, and its {@code state} the run's state now. The numbers are this
     * machine's, not the server's.
     *
     * @throws IllegalArgumentException when {@code wait} is negative or longer than 60 seconds
     */
    public RunEvents events(long after, Duration wait) {
        Objects.requireNonNull(wait, "wait");
        if (wait.isNegative() || wait.compareTo(MOST_WAIT) > 0) {
            throw new IllegalArgumentException("wait must be between 0 and 60 seconds: " + wait);
        }
        return live.events(after, wait);
    }

    /**
     * Decides step {@code n} of this run, as {@link Proposal#decide} does, but insists on being the
     * first: answers the step's view with this decision in it.
     *
     * @throws CcpException {@link CcpException.Kind#CONFLICT} with the problem {@code already-decided}
     *         (naming the first decision) when the step was decided before, here or elsewhere;
     *         {@code not-waiting} when it never waited for a decision; {@code run-ended} when the run has ended
     * @throws IllegalArgumentException when the run has no step {@code n}, or for edits of files the change does not write
     */
    public StepView decide(int n, Decision decision) {
        return live.decide(n, Objects.requireNonNull(decision, "decision"));
    }

    /** Cancels the run when it has not ended, and stops following the server. Never throws. */
    @Override
    public void close() {
        live.close();
    }
}
