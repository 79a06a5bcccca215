package dev.ccp.sdk;

import dev.ccp.sdk.internal.LiveRun;
import dev.ccp.sdk.internal.LiveStep;
import dev.ccp.spi.runs.Decision;
import dev.ccp.spi.runs.RunPolicy;
import dev.ccp.spi.runs.Step;
import dev.ccp.spi.wire.StepView;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A step a {@link Run} proposed: its checks, its decision once made, and carrying it out. A step's
 * {@linkplain StepView#state() state} is {@code waiting}, {@code ready} (approved, or allowed without
 * a decision), {@code rejected} or {@code denied}, then {@code done} or {@code failed}.
 */
public final class Proposal {

    private final LiveRun run;
    private final LiveStep step;

    Proposal(LiveRun run, LiveStep step) {
        this.run = run;
        this.step = step;
    }

    /** Its number in the run, from 1. */
    public int n() {
        return step.n();
    }

    public Step step() {
        return step.step();
    }

    /** What the policy in force on this machine said; for a mirrored run the server's verdict is in {@link #view()}. */
    public RunPolicy.Check check() {
        return step.check();
    }

    /** The step as it stands now. */
    public StepView view() {
        return step.view();
    }

    /**
     * Completes with the step's view once it no longer waits: {@code ready}, {@code rejected} or
     * {@code denied}, with the decision and who made it. Cancelled when the run ends first.
     */
    public CompletableFuture<StepView> decision() {
        return step.decided().copy();
    }

    /**
     * Waits up to {@code timeout} for the decision; empty when none came in time (or the run ended,
     * or the thread was interrupted). The step may still be decided later.
     */
    public Optional<StepView> await(Duration timeout) {
        try {
            return Optional.of(step.decided().get(Objects.requireNonNull(timeout, "timeout").toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException | CancellationException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Decides the step from the host itself, as an approver would. Answers the step's view, which
     * holds the first decision: someone else's, when they decided before.
     *
     * @throws IllegalArgumentException for edits of files the change does not write
     */
    public StepView decide(Decision decision) {
        return run.decide(step, Objects.requireNonNull(decision, "decision"));
    }

    /** Whether it may be carried out: approved, or allowed without a decision. */
    public boolean ready() {
        return "ready".equals(step.view().state());
    }

    /**
     * Carries the step out: a change writes its files (the approved edits in place of the proposed
     * content), all or none, and only if they still hold what they held when it was proposed; a
     * command runs in its folder, and the view keeps its exit code and the tail of its output. A
     * failure is a {@code failed} state, not an exception.
     *
     * @throws IllegalStateException when the step is not ready, was carried out before, or the run ended
     */
    public StepView carryOut() {
        return run.carryOut(step);
    }
}
