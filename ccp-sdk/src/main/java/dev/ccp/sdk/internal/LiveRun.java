package dev.ccp.sdk.internal;

import dev.ccp.sdk.Account;
import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.CcpException.Kind;
import dev.ccp.sdk.RunOptions;
import dev.ccp.spi.policy.PolicyDocument;
import dev.ccp.spi.runs.Approver;
import dev.ccp.spi.runs.Decision;
import dev.ccp.spi.runs.RunPolicy;
import dev.ccp.spi.runs.Step;
import dev.ccp.spi.wire.DecisionView;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.RunEvent;
import dev.ccp.spi.wire.RunEvents;
import dev.ccp.spi.wire.RunFinish;
import dev.ccp.spi.wire.RunProgress;
import dev.ccp.spi.wire.RunRequest;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.StepOutcome;
import dev.ccp.spi.wire.StepView;
import dev.ccp.spi.wire.WorkspaceRef;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A run in progress: every step checked against the policy in force here, decided by the first of
 * the run's approvers and (when mirrored) the server, carried out in the workspace, and the accepted
 * changes committed at the end. Logged in, the run is mirrored to the server, whose verdicts and
 * decisions count; when the server cannot be reached the run carries on here, and says so in the log.
 */
public final class LiveRun implements AutoCloseable {

    private static final Log LOG = Log.of(LiveRun.class);
    private static final PolicyDocument NO_POLICY = PolicyDocument.of(Json.lenient().createObjectNode().put("schema", PolicyDocument.SCHEMA));
    private static final Set<String> ENDED = Set.of("succeeded", "failed", "cancelled");

    private final Engine engine;
    private final RunCalls calls;
    private final RunOptions options;
    private final RunWorkspace files;
    private final WorkspaceRef workspace;
    /** Who decides when a local approver does: the login, else the account of the machine. */
    private final String by;
    private final Instant createdAt;
    private final String id;
    private final long startSeq;
    /** The recipe of a run queued on the server; null for a run started here. */
    private final String recipe;
    /** Whether the server queued this run and a runner claimed it: only the server decides its steps. */
    private final boolean claimed;
    /** Tells the server a runner is alive while it carries out a claimed run; null otherwise. */
    private final Loop heartbeat;
    private volatile boolean mirrored;
    private final List<LiveStep> steps = new CopyOnWriteArrayList<>();
    private final RunEventLog events;
    private RunFollower follower;
    private volatile String state = "running";
    private volatile String phase;
    private volatile String message;
    private volatile String commit;

    public LiveRun(Engine engine, RunOptions options) {
        this(engine, new RunCalls(engine), options, null, null);
    }

    /**
     * A run started here ({@code claimed} null), or one queued on the server that a runner claimed:
     * that one is attached to, not started, and is reported through {@code calls} (the runner's token).
     */
    LiveRun(Engine engine, RunCalls calls, RunOptions options, RunView claimed, Loop heartbeat) {
        this.engine = engine;
        this.calls = calls;
        this.options = options;
        this.files = new RunWorkspace(options.workspace(), options.commandTimeout());
        this.claimed = claimed != null;
        RunView remote;
        if (claimed == null) {
            this.workspace = files.ref();
            this.createdAt = engine.config.clock().instant();
            this.recipe = null;
            Optional<Account> account = account();
            this.by = account.map(Account::login).orElse(System.getProperty("user.name", "someone"));
            remote = account.isEmpty() || engine.config.policy().offline() ? null
                    : mirror(() -> calls.start(new RunRequest(options.title(), workspace, mode(), options.source(), null)), "start the run");
        } else {
            this.workspace = claimed.workspace() != null ? claimed.workspace() : files.ref();
            this.createdAt = claimed.createdAt() != null ? claimed.createdAt() : engine.config.clock().instant();
            this.recipe = claimed.recipe();
            this.by = claimed.startedBy() != null ? claimed.startedBy() : "a runner";
            remote = claimed;
        }
        this.mirrored = remote != null;
        this.id = remote != null ? remote.id() : "run_local_" + randomHex();
        this.startSeq = remote != null ? remote.seq() : 0;
        this.heartbeat = heartbeat;
        this.events = new RunEventLog(engine.config.clock());
        events.add("created", null, state, options.title());
        if (heartbeat != null) {
            heartbeat.start();
        }
    }

    public static WorkspaceRef workspaceOf(Path dir) {
        return Git.of(dir.toAbsolutePath()).workspace();
    }

    public String id() {
        return id;
    }

    public boolean mirrored() {
        return mirrored;
    }

    public WorkspaceRef workspace() {
        return workspace;
    }

    /**
     * Checks a step and, when mirrored, proposes it to the server, whose verdict counts (a step the
     * policy here denies stays denied); then asks the approvers about it if it waits.
     */
    public synchronized LiveStep propose(Step step) {
        requireOpen();
        int n = steps.size() + 1;
        RunPolicy.Check check = RunPolicy.check(step, policy(), options.approval());
        boolean denied = check.verdict() == RunPolicy.Verdict.DENIED;
        // A denied change's files are not read: they may be the secrets the policy keeps out of runs.
        Map<String, String> before = denied || !(step instanceof Step.FileChange change) ? Map.of() : files.before(change);
        StepView view = LiveStep.proposed(n, step, before, check, engine.config.clock().instant());
        Integer remote = null;
        if (mirrored) {
            StepView server = mirror(() -> calls.propose(id, LiveStep.request(step, before)), "propose step " + n);
            if (server == null) {
                // Numbers on the server would drift from here on: the rest of the run stays on this machine.
                mirrored = false;
                stopFollowing();
            } else {
                remote = server.n();
                if (!denied) {
                    view = LiveStep.renumbered(server, n);
                } else if ("ready".equals(server.state())) {
                    int number = remote;
                    mirror(() -> outcome(number, new StepOutcome("failed", null, "refused on the machine that ran it: " + check.reason())),
                            "report step " + n);
                }
            }
        }
        LiveStep live = new LiveStep(n, step, before, check, view, remote);
        steps.add(live);
        events.add("step", n, view.state(), view.text() != null ? view.text() : view.reason());
        events.state(runState(), null);
        if ("waiting".equals(view.state())) {
            live.decided.thenAccept(this::decided);
            ask(live);
        } else {
            live.decided.complete(view);
        }
        return live;
    }

    private void ask(LiveStep live) {
        if (mirrored) {
            following();
        }
        // Registered first, so that an approver answering at once still stops the others.
        live.decided.whenComplete((view, failure) -> live.asked.forEach(asked -> asked.cancel(false)));
        if (claimed && !mirrored && options.approvers().isEmpty()) {
            // Only the server decides a claimed run's steps, and it no longer hears of this one.
            live.settle(LiveStep.with(live.view(), "rejected", null, null, null), false);
            return;
        }
        RunView run = view();
        for (Approver approver : options.approvers()) {
            if (live.decided.isDone()) {
                return;
            }
            CompletableFuture<Decision> answer;
            try {
                answer = approver.ask(run, live.view());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "an approver failed to ask about step " + live.n + " of run " + id, e);
                answer = null;
            }
            answer = answer != null ? answer : CompletableFuture.completedFuture(null);
            live.asked.add(answer);
            answer.whenComplete((decision, failure) -> answered(live, decision, failure));
        }
    }

    private void answered(LiveStep live, Decision decision, Throwable failure) {
        if (live.decided.isDone()) {
            return;
        }
        if (failure != null && !(failure instanceof CancellationException)) {
            LOG.log(Level.WARNING, "an approver failed on step " + live.n + " of run " + id, failure);
        }
        if (decision != null && failure == null) {
            try {
                decide(live, decision);
                return;
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "an approver's decision on step " + live.n + " was refused: " + e.getMessage());
            }
        }
        if (live.abstain(options.approvers().size()) && !mirrored) {
            // No one else can decide a step of a run that only this machine knows: it is not carried out.
            live.settle(LiveStep.with(live.view(), "rejected", null, null, null), false);
        }
    }

    /** Decides a waiting step; answers its view, which holds the first decision when someone decided before. */
    public StepView decide(LiveStep live, Decision decision) {
        take(live, decision);
        return live.view();
    }

    /**
     * Decides step {@code n}, refusing with a conflict when it was decided before (here or elsewhere:
     * the problem names the first decision), does not wait, or the run has ended.
     *
     * @throws IllegalArgumentException when the run has no step {@code n}, or for edits of files the change does not write
     */
    public StepView decide(int n, Decision decision) {
        if (n < 1 || n > steps.size()) {
            throw new IllegalArgumentException("run " + id + " has no step " + n + "; its steps are 1 to " + steps.size());
        }
        LiveStep live = steps.get(n - 1);
        if (!take(live, decision)) {
            throw StepRefusals.refused(live, ended() ? state : null, id);
        }
        return live.view();
    }

    /** Whether {@code decision} is the one that counts: false when the step was decided before, or never waited. */
    private boolean take(LiveStep live, Decision decision) {
        if (decision.edited()) {
            if (!(live.step instanceof Step.FileChange change) || !change.files().keySet().containsAll(decision.files().keySet())) {
                throw new IllegalArgumentException("approve with edits may only change files of the step's change");
            }
        }
        if (live.decided.isDone()) {
            return false;
        }
        if (mirrored && live.remote != null) {
            try {
                live.settle(LiveStep.renumbered(calls.decide(id, live.remote, decision.request()), live.n), true);
                return true; // the server took it, even if its events brought it here first
            } catch (CcpException e) {
                if (e.kind() == Kind.CONFLICT) {
                    refresh(); // someone decided first, and the first decision is the one that counts
                    return false;
                }
                LOG.log(Level.WARNING, "the server did not take the decision on step " + live.n + " of run " + id + " ("
                        + e.getMessage() + "); it stands on this machine");
            }
        }
        return live.settle(local(live, decision), false);
    }

    private void decided(StepView view) {
        events.add("decided", view.n(), view.state(), StepRefusals.said(view.decision()));
        events.state(runState(), null);
    }

    private StepView local(LiveStep live, Decision decision) {
        String kind = !decision.approve() ? "reject" : decision.edited() ? "edit" : "approve";
        DecisionView made = new DecisionView(kind, by, engine.config.clock().instant(), decision.via(),
                decision.edited() ? decision.files() : null);
        return LiveStep.with(live.view(), decision.approve() ? "ready" : "rejected", made, null, null);
    }

    /** Takes the server's decisions on the steps that wait here. */
    void refresh() {
        RunView run = mirror(() -> calls.get(id), "read the run");
        if (run == null || run.steps() == null) {
            return;
        }
        for (LiveStep live : steps) {
            for (StepView server : run.steps()) {
                if (live.remote != null && server.n() == live.remote) {
                    live.settle(LiveStep.renumbered(server, live.n), true);
                }
            }
        }
    }

    /** The run was ended on the server: nothing that waits can be decided any more. */
    void endedOnServer(String ending) {
        LOG.log(Level.INFO, "run " + id + " was ended on the server (" + ending + ")");
        for (LiveStep live : steps) {
            live.settle(LiveStep.with(live.view(), "rejected", null, null, null), false);
        }
    }

    /** Carries out a ready step: writes a change's files, all or none, or runs a command. */
    public StepView carryOut(LiveStep live) {
        requireOpen();
        if (!live.startCarryingOut()) {
            throw new IllegalStateException("step " + live.n + " is " + live.view().state() + ": only a ready step is carried out, once");
        }
        StepView outcome = files.carryOut(live);
        boolean report = live.carriedOut(outcome);
        events.add("outcome", live.n, outcome.state(), outcome.exitCode() != null ? "exit code " + outcome.exitCode()
                : "failed".equals(outcome.state()) ? outcome.output() : null);
        if (report && mirrored) {
            mirror(() -> outcome(live.remote, new StepOutcome(outcome.state(), outcome.exitCode(), outcome.output())), "report step " + live.n);
        }
        return outcome;
    }

    private Void outcome(int remote, StepOutcome outcome) {
        calls.outcome(id, remote, outcome);
        return null;
    }

    public void progress(String phase, String message) {
        requireOpen();
        this.phase = phase;
        this.message = message;
        events.add("progress", null, runState(), message == null ? phase : phase + ": " + message);
        if (mirrored) {
            mirror(() -> {
                calls.progress(id, new RunProgress(phase, message));
                return null;
            }, "report progress");
        }
    }

    /** Commits the accepted changes carried out since the last commit; answers the run's commit, null while there is none. */
    public synchronized String commit() {
        String hash = files.commit(options.title(), "Ccp-Run: " + id);
        if (hash != null) {
            commit = hash;
            events.add("committed", null, runState(), hash);
        }
        return commit;
    }

    /** Ends the run as {@code succeeded}, {@code failed} or {@code cancelled}; the steps still waiting are not carried out. */
    public RunView end(String ending, String why) {
        synchronized (this) {
            requireOpen();
            state = ending;
            message = why;
            events.state(ending, why);
        }
        stopFollowing();
        stopHeartbeat();
        steps.forEach(live -> live.decided.cancel(false));
        if (mirrored) {
            mirror(() -> {
                calls.finish(id, new RunFinish(ending, commit, why));
                return null;
            }, "finish the run");
        }
        return view();
    }

    /**
     * Ends a claimed run here only, once the server refuses the runner: the steps that wait are not
     * carried out, and nothing more is reported. Never throws.
     */
    void abandon(String why) {
        mirrored = false;
        synchronized (this) {
            if (ended()) {
                return;
            }
            end("failed", why);
        }
    }

    /**
     * The events after {@code after} that happened to the run on this machine, waiting up to
     * {@code wait} until there is one; with the run's state now.
     */
    public RunEvents events(long after, Duration wait) {
        List<RunEvent> found = events.after(after, wait.toNanos());
        long next = found.isEmpty() ? Math.max(0, Math.min(after, events.last())) : found.get(found.size() - 1).seq();
        return new RunEvents(found, next, runState());
    }

    /** Waiting while a step waits for a person, until the run ends. */
    private String runState() {
        String now = state;
        return now.equals("running") && steps.stream().anyMatch(s -> "waiting".equals(s.view().state())) ? "waiting" : now;
    }

    public RunView view() {
        return new RunView(id, options.title(), runState(), mode(), workspace, by, options.source(), recipe, phase, message, commit, startSeq,
                createdAt, engine.config.clock().instant(), steps.stream().map(LiveStep::view).toList());
    }

    public boolean ended() {
        return ENDED.contains(state);
    }

    /** Ends a run left unfinished as cancelled, and stops following the server. Never throws. */
    @Override
    public void close() {
        try {
            if (!ended()) {
                end("cancelled", "the run was closed before it finished");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing run " + id + " failed", e);
        } finally {
            stopFollowing();
            stopHeartbeat();
        }
    }

    private synchronized void following() {
        if (follower == null && !ended()) {
            follower = new RunFollower(this, calls, startSeq);
            follower.start();
        }
    }

    private synchronized void stopFollowing() {
        if (follower != null) {
            follower.close();
        }
    }

    private void stopHeartbeat() {
        if (heartbeat != null) {
            heartbeat.close();
        }
    }

    private void requireOpen() {
        if (ended()) {
            throw new IllegalStateException("run " + id + " has ended (" + state + ")");
        }
    }

    private String mode() {
        return options.approval().name().toLowerCase(Locale.ROOT);
    }

    private PolicyDocument policy() {
        PolicyDocument document = engine.policy(engine.policyChannels().selected()).document();
        return document != null ? document : NO_POLICY;
    }

    private static String randomHex() {
        byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private Optional<Account> account() {
        try {
            return engine.account();
        } catch (CcpException e) {
            LOG.log(Level.WARNING, "the credentials cannot be read (" + e.getMessage() + "); the run stays on this machine");
            return Optional.empty();
        }
    }

    /** A call to the server that must not stop the run: a failure is logged and answered with null. */
    private <T> T mirror(Supplier<T> call, String what) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not " + what + (id == null ? "" : " of run " + id) + " on the server (" + e.getMessage()
                    + "); the run carries on on this machine");
            return null;
        }
    }
}
