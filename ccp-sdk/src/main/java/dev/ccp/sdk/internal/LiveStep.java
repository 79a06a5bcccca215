package dev.ccp.sdk.internal;

import dev.ccp.spi.runs.Decision;
import dev.ccp.spi.runs.Diffs;
import dev.ccp.spi.runs.RunPolicy;
import dev.ccp.spi.runs.Step;
import dev.ccp.spi.wire.DecisionView;
import dev.ccp.spi.wire.StepRequest;
import dev.ccp.spi.wire.StepView;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One step of a {@link LiveRun}: what was proposed, what the checks said, and its view, which
 * moves on as it is decided and carried out. The view has the server's shape whether the run is
 * mirrored or not, so a host reads one kind of answer.
 */
public final class LiveStep {

    final int n;
    final Step step;
    /** Each file's content when proposed; no entry for a file the change creates. */
    final Map<String, String> before;
    final RunPolicy.Check check;
    /** Completes once the step no longer waits: ready, rejected or denied. */
    final CompletableFuture<StepView> decided = new CompletableFuture<>();
    final List<CompletableFuture<Decision>> asked = new CopyOnWriteArrayList<>();
    /** The step's number on the server; null when it is not mirrored. */
    final Integer remote;
    private volatile StepView view;
    private int abstained;
    private boolean carriedOut;
    /** Whether the server holds the step as ready, so that it takes an outcome. */
    private boolean remoteReady;

    LiveStep(int n, Step step, Map<String, String> before, RunPolicy.Check check, StepView view, Integer remote) {
        this.n = n;
        this.step = step;
        this.before = before;
        this.check = check;
        this.view = view;
        this.remote = remote;
        this.remoteReady = remote != null && "ready".equals(view.state());
    }

    public int n() {
        return n;
    }

    public Step step() {
        return step;
    }

    public RunPolicy.Check check() {
        return check;
    }

    public StepView view() {
        return view;
    }

    public CompletableFuture<StepView> decided() {
        return decided;
    }

    /** Makes {@code decided} the step's view unless it was decided already; true when it was this one. */
    synchronized boolean settle(StepView decidedView, boolean fromServer) {
        if (this.decided.isDone() || "waiting".equals(decidedView.state())) {
            return false;
        }
        view = decidedView;
        remoteReady = fromServer && "ready".equals(decidedView.state());
        this.decided.complete(decidedView);
        return true;
    }

    /** Counts one approver that will not decide; true when it was the last that might have. */
    synchronized boolean abstain(int approvers) {
        return ++abstained == approvers;
    }

    /** Marks the step as being carried out; false when it is not ready, or was carried out before. */
    synchronized boolean startCarryingOut() {
        if (carriedOut || !"ready".equals(view.state())) {
            return false;
        }
        carriedOut = true;
        return true;
    }

    /** Records what carrying it out did; answers whether the server should hear it. */
    synchronized boolean carriedOut(StepView outcome) {
        view = outcome;
        return remoteReady;
    }

    /** The content a ready change writes: the proposed one, with the approved edits in its place. */
    Map<String, String> content() {
        Map<String, String> files = new TreeMap<>(((Step.FileChange) step).files());
        DecisionView decision = view.decision();
        if (decision != null && decision.files() != null) {
            files.putAll(decision.files());
        }
        return files;
    }

    static StepView proposed(int n, Step step, Map<String, String> before, RunPolicy.Check check, Instant at) {
        String state = switch (check.verdict()) {
            case DENIED -> "denied";
            case NEEDS_APPROVAL -> "waiting";
            case ALLOWED -> "ready";
        };
        StepRequest r = request(step, before);
        return new StepView(n, r.kind(), r.files(), r.before(), r.files() == null ? null : Diffs.unified(before, r.files()),
                r.argv(), r.cwd(), r.text(), check.verdict().name().toLowerCase(Locale.ROOT), check.reason(), state, null, null, null, at);
    }

    static StepRequest request(Step step, Map<String, String> before) {
        if (step instanceof Step.FileChange change) {
            return new StepRequest("change", change.files(), before, null, null, null);
        }
        if (step instanceof Step.Command command) {
            return new StepRequest("command", null, null, command.argv(), command.cwd(), null);
        }
        return new StepRequest("note", null, null, null, null, ((Step.Note) step).text());
    }

    static StepView with(StepView v, String state, DecisionView decision, Integer exitCode, String output) {
        return new StepView(v.n(), v.kind(), v.files(), v.before(), v.diff(), v.argv(), v.cwd(), v.text(), v.verdict(), v.reason(),
                state, decision, exitCode, output, v.createdAt());
    }

    /** The server's view of a step, under this run's number for it. */
    static StepView renumbered(StepView v, int n) {
        return new StepView(n, v.kind(), v.files(), v.before(), v.diff(), v.argv(), v.cwd(), v.text(), v.verdict(), v.reason(),
                v.state(), v.decision(), v.exitCode(), v.output(), v.createdAt());
    }
}
