package dev.ccp.server.runs.control;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ccp.server.audit.control.Actor;
import dev.ccp.server.audit.control.AuditLog;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.Users;
import dev.ccp.server.org.control.Accounts;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.Ids;
import dev.ccp.server.platform.database.UtcInstantConverter;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.platform.ratelimit.RateLimiter;
import dev.ccp.server.policy.control.Policies;
import dev.ccp.server.runs.entity.Run;
import dev.ccp.server.runs.entity.RunStep;
import dev.ccp.spi.policy.PolicyDocument;
import dev.ccp.spi.runs.ApprovalMode;
import dev.ccp.spi.runs.Diffs;
import dev.ccp.spi.runs.Recipe;
import dev.ccp.spi.runs.RunPolicy;
import dev.ccp.spi.runs.Step;
import dev.ccp.spi.wire.DecisionRequest;
import dev.ccp.spi.wire.DecisionView;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.RunEvent;
import dev.ccp.spi.wire.RunEvents;
import dev.ccp.spi.wire.RunFinish;
import dev.ccp.spi.wire.RunProgress;
import dev.ccp.spi.wire.RunRequest;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.StepOutcome;
import dev.ccp.spi.wire.StepRequest;
import dev.ccp.spi.wire.StepView;
import dev.ccp.spi.wire.WorkspaceRef;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The runs of an org: started by a tool, their steps checked against the org's {@code prod} policy
 * on the server (the verdict that counts), decided once by a person allowed to, carried out by the
 * tool and followed by everyone in the org through numbered events.
 *
 * <p>Only the person whose tool started a run reports its steps, outcomes, progress and end. Owners
 * and admins decide any step; the starter decides the steps of their own runs.
 */
public final class Runs {

    /** A step's files and their content before, together, by default. */
    public static final int DEFAULT_STEP_BYTES = 1024 * 1024;
    public static final int MAX_STEPS = Recipe.MAX_STEPS;
    static final int MAX_FILES = 500;
    static final int MAX_OUTPUT = 64 * 1024;
    static final String CHANNEL = "prod";
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Set<String> SOURCES = Set.of("terminal", "editor", "web", "chat", "api");
    private static final Set<String> VIAS = Set.of("terminal", "editor", "web", "chat");
    private static final Pattern RECIPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,64}");
    private static final PolicyDocument NO_POLICY = PolicyDocument.of(Json.lenient().createObjectNode().put("schema", PolicyDocument.SCHEMA));

    private final Policies policies;
    private final RateLimiter rateLimiter;
    private final AuditLog audit;
    private final int perMinute;
    private final int stepBytes;

    public Runs(Policies policies, RateLimiter rateLimiter, AuditLog audit, int perMinute, int stepBytes) {
        this.policies = policies;
        this.rateLimiter = rateLimiter;
        this.audit = audit;
        this.perMinute = perMinute;
        this.stepBytes = stepBytes;
    }

    /**
     * Who reports a run's steps, outcomes and progress: the person whose tool started it, or the
     * runner that claimed it from the queue.
     */
    public record Reporter(String userId, String runnerId) {

        public static Reporter user(Principal caller) {
            return new Reporter(caller.userId(), null);
        }

        public static Reporter runner(String runnerId) {
            return new Reporter(null, runnerId);
        }

        Actor actor() {
            return runnerId != null ? new Actor("runner", runnerId) : Actor.user(userId);
        }
    }

    /** What a step proposes, as kept in {@code run_steps.body}. */
    record Body(@JsonProperty("files") Map<String, String> files, @JsonProperty("before") Map<String, String> before,
            @JsonProperty("argv") List<String> argv, @JsonProperty("cwd") String cwd, @JsonProperty("text") String text) {
    }

    public RunView start(EntityManager em, Principal caller, Org org, RunRequest request, Instant now) {
        if (request == null) {
            throw ProblemException.badRequest("send {\"title\": …, \"workspace\": {\"name\": …}} to start a run");
        }
        String title = text(request.title(), "title", 200, true);
        WorkspaceRef workspace = request.workspace();
        if (workspace == null) {
            throw ProblemException.badRequest("workspace is required: {\"name\": …, \"root\": …, \"branch\": …, \"head\": …}");
        }
        String root = text(workspace.root(), "workspace.root", 1024, false);
        String name = text(workspace.name() != null ? workspace.name() : root == null ? null : lastSegment(root),
                "workspace.name", 200, true);
        String branch = text(workspace.branch(), "workspace.branch", 255, false);
        String head = text(workspace.head(), "workspace.head", 64, false);
        String approval = approval(request.approval());
        String source = oneOf(request.source() == null ? "api" : request.source(), "source", SOURCES);
        String recipe = request.recipe() == null ? null : recipe(request.recipe());
        if (rateLimiter.hit(em, "runs:" + org.id(), MINUTE) > perMinute) {
            throw ProblemException.tooManyRequests("org " + org.slug() + " started more than " + perMinute
                    + " runs this minute; retry after the time in Retry-After", rateLimiter.untilNextWindow(MINUTE));
        }
        Run run = new Run(Ids.id("run"), org.id(), title, recipe == null ? Run.State.RUNNING : Run.State.QUEUED, approval, name,
                root, branch, head, caller.userId(), source, recipe, now);
        em.persist(run);
        event(em, run, "created", null, run.state().wire(), title, now);
        if (recipe != null) {
            moved(em, run.queue());
        }
        audit.append(em, org.id(), "run.started", Actor.user(caller.userId()), Map.of("run", run.id()),
                details("workspace", name, "source", source, "recipe", recipe), now);
        return view(em, run, List.of());
    }

    public List<RunView> list(EntityManager em, Org org, String state, int limit) {
        String wanted = state == null ? null : state(state).name();
        jakarta.persistence.TypedQuery<Run> runs = em.createQuery("select r from Run r where r.orgId = :org"
                        + (wanted == null ? "" : " and r.state = :state") + " order by r.createdAt desc, r.id desc", Run.class)
                .setParameter("org", org.id())
                .setMaxResults(Math.max(1, Math.min(limit, 200)));
        if (wanted != null) {
            runs.setParameter("state", wanted);
        }
        List<Run> found = runs.getResultList();
        Map<String, String> logins = Users.logins(em, found.stream().map(Run::startedBy).toList());
        return found.stream().map(r -> view(r, logins, null)).toList();
    }

    public RunView read(EntityManager em, Org org, String id) {
        Run run = run(em, org, id);
        return view(em, run, steps(em, run.id()));
    }

    /** The run itself, for the pages that show it. */
    public Run run(EntityManager em, Org org, String id) {
        Run run = id == null ? null : em.find(Run.class, id);
        if (run == null || !run.orgId().equals(org.id())) {
            throw ProblemException.notFound("no run '" + id + "' in org " + org.slug());
        }
        return run;
    }

    public StepView propose(EntityManager em, Reporter caller, Org org, String id, StepRequest request, Instant now) {
        Run run = reporting(em, caller, org, id, now);
        if (run.steps() >= MAX_STEPS) {
            throw new ProblemException(413, "too-many-steps", "Too many steps",
                    "run " + run.id() + " has " + MAX_STEPS + " steps, the most a run may have; start another run for the rest");
        }
        Proposed proposed = proposed(request);
        PolicyDocument policy = policies.document(em, org.id(), CHANNEL).orElse(NO_POLICY);
        RunPolicy.Check check = RunPolicy.check(proposed.step(), policy, ApprovalMode.parse(run.approval()));
        RunStep.State state = switch (check.verdict()) {
            case DENIED -> RunStep.State.DENIED;
            case NEEDS_APPROVAL -> RunStep.State.WAITING;
            case ALLOWED -> RunStep.State.READY;
        };
        RunStep step = new RunStep(run.id(), run.nextStep(), request.kind(), json(proposed.body()),
                check.verdict().name().toLowerCase(Locale.ROOT), clip(check.reason(), 2000), state, now);
        em.persist(step);
        event(em, run, "step", step.n(), state.wire(), proposed.body().text() != null ? proposed.body().text() : check.reason(), now);
        settle(em, run, now);
        return stepView(step, Map.of());
    }

    /** The first decision on a step; a later one is refused naming the first. */
    public StepView decide(EntityManager em, Principal caller, Org org, String id, int n, DecisionRequest request, Instant now) {
        Run run = run(em, org, id);
        RunStep step = step(em, run, n);
        if (request == null || request.decision() == null) {
            throw ProblemException.badRequest("send {\"decision\": \"approve\"} or {\"decision\": \"reject\"}");
        }
        String decision = oneOf(request.decision(), "decision", Set.of("approve", "reject"));
        String via = oneOf(request.via() == null ? "web" : request.via(), "via", VIAS);
        Map<String, String> edits = request.files();
        if (edits != null) {
            if (!"approve".equals(decision)) {
                throw ProblemException.badRequest("files are for approving with edits; a rejection carries none");
            }
            Body body = body(step);
            if (body.files() == null) {
                throw ProblemException.badRequest("step " + n + " is a " + step.kind() + "; only a change can be approved with edits");
            }
            for (Map.Entry<String, String> e : edits.entrySet()) {
                if (!body.files().containsKey(e.getKey())) {
                    throw ProblemException.badRequest("files." + e.getKey() + " is not a file of step " + n + "; edit only "
                            + String.join(", ", body.files().keySet()));
                }
                text(e.getValue(), "files." + e.getKey(), Integer.MAX_VALUE, false);
            }
            limit(edits, Map.of());
        }
        if (!mayDecide(em, caller, org, run)) {
            throw ProblemException.forbidden("only owners and admins of " + org.slug() + ", and whoever started run " + run.id()
                    + ", decide its steps");
        }
        if (step.decision() == null && step.state() != RunStep.State.WAITING) {
            throw notWaiting(step);
        }
        String recorded = edits == null || edits.isEmpty() ? decision : "edit";
        int changed = em.createQuery("update RunStep s set s.decision = :decision, s.decidedBy = :by, s.decidedAt = :at,"
                        + " s.decidedVia = :via, s.edited = :edited, s.state = :state"
                        + " where s.id = :id and s.decision is null and s.state = :waiting")
                .setParameter("decision", recorded).setParameter("by", caller.userId()).setParameter("at", now)
                .setParameter("via", via).setParameter("edited", recorded.equals("edit") ? json(edits) : null)
                .setParameter("state", ("reject".equals(decision) ? RunStep.State.REJECTED : RunStep.State.READY).name())
                .setParameter("id", RunStep.key(run.id(), n)).setParameter("waiting", RunStep.State.WAITING.name())
                .executeUpdate();
        em.refresh(step);
        if (changed == 0) {
            throw alreadyDecided(em, step);
        }
        String who = Users.logins(em, List.of(caller.userId())).getOrDefault(caller.userId(), caller.userId());
        event(em, run, "decided", n, step.state().wire(), said(recorded) + " by " + who + " via " + via, now);
        settle(em, run, now);
        audit.append(em, org.id(), "run.step.decided", Actor.user(caller.userId()), Map.of("run", run.id(), "step", n),
                details("decision", recorded, "via", via), now);
        return stepView(step, Users.logins(em, List.of(caller.userId())));
    }

    public StepView outcome(EntityManager em, Reporter caller, Org org, String id, int n, StepOutcome outcome, Instant now) {
        Run run = reporting(em, caller, org, id, now);
        RunStep step = step(em, run, n);
        if (outcome == null || outcome.state() == null) {
            throw ProblemException.badRequest("send {\"state\": \"done\"} or {\"state\": \"failed\"}, with exit_code and output for a command");
        }
        RunStep.State end = "done".equals(outcome.state()) ? RunStep.State.DONE
                : "failed".equals(outcome.state()) ? RunStep.State.FAILED : null;
        if (end == null) {
            throw ProblemException.badRequest("state must be done or failed, was '" + outcome.state() + "'");
        }
        if (step.state() != RunStep.State.READY) {
            throw ProblemException.conflict("step-not-ready", "Step not ready",
                    "step " + n + " is " + step.state().wire() + "; only a ready step (approved, or allowed without a decision) is carried out");
        }
        String output = text(outcome.output(), "output", Integer.MAX_VALUE, false);
        step.carriedOut(end, outcome.exitCode(), output == null ? null : tail(output));
        event(em, run, "outcome", n, end.wire(), outcome.exitCode() == null ? null : "exit code " + outcome.exitCode(), now);
        return stepView(step, Map.of());
    }

    public RunView progress(EntityManager em, Reporter caller, Org org, String id, RunProgress progress, Instant now) {
        Run run = reporting(em, caller, org, id, now);
        if (progress == null) {
            throw ProblemException.badRequest("send {\"phase\": …, \"message\": …}");
        }
        String phase = text(progress.phase(), "phase", 200, true);
        String message = text(progress.message(), "message", 2000, false);
        run.progress(phase, message);
        event(em, run, "progress", null, run.state().wire(), message == null ? phase : phase + ": " + message, now);
        return view(em, run, List.of());
    }

    public RunView finish(EntityManager em, Reporter caller, Org org, String id, RunFinish finish, Instant now) {
        Run run = reporting(em, caller, org, id, now);
        if (finish == null || finish.state() == null) {
            throw ProblemException.badRequest("send {\"state\": \"succeeded\" | \"failed\" | \"cancelled\", \"commit\": …}");
        }
        Run.State end = state(finish.state());
        if (!end.isFinal()) {
            throw ProblemException.badRequest("a run ends succeeded, failed or cancelled, not " + finish.state());
        }
        String commit = finish.commit() == null ? null : finish.commit().toLowerCase(Locale.ROOT);
        if (commit != null && !COMMIT.matcher(commit).matches()) {
            throw ProblemException.badRequest("commit must be a git commit hash (7 to 64 hex digits)");
        }
        if (commit != null) {
            event(em, run, "committed", null, run.state().wire(), commit, now);
        }
        run.finish(end, commit, text(finish.message(), "message", 2000, false));
        event(em, run, "state", null, end.wire(), finish.message(), now);
        audit.append(em, org.id(), "run.finished", caller.actor(), Map.of("run", run.id()),
                details("state", end.wire(), "commit", commit), now);
        if (run.runnerId() != null) {
            moved(em, run.queue()); // the workspace is free for its next queued run
        }
        return view(em, run, List.of());
    }

    /** The events of a run after {@code after}, oldest first, at most {@code limit}. */
    public RunEvents events(EntityManager em, Org org, String id, long after, int limit) {
        Run run = run(em, org, id);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select seq, at, type, step, state, message from run_events"
                        + " where run_id = ?1 and seq > ?2 order by seq")
                .setParameter(1, run.id()).setParameter(2, Math.max(0, after)).setMaxResults(Math.max(1, Math.min(limit, 500)))
                .getResultList();
        List<RunEvent> events = new ArrayList<>();
        for (Object[] row : rows) {
            events.add(new RunEvent(((Number) row[0]).longValue(), UtcInstantConverter.instant(row[1]), (String) row[2],
                    row[3] == null ? null : ((Number) row[3]).intValue(), (String) row[4], (String) row[5]));
        }
        long next = events.isEmpty() ? Math.max(0, Math.min(after, run.seq())) : events.get(events.size() - 1).seq();
        return new RunEvents(events, next, run.state().wire());
    }

    /** Tells the run's followers that a runner took it from the queue. */
    void claimed(EntityManager em, Run run, String runner, Instant now) {
        event(em, run, "state", null, run.state().wire(), "claimed by runner " + runner, now);
    }

    /** Ends a run whose runner is gone, keeping its steps; false when it had ended already. */
    public boolean lost(EntityManager em, Run run, String why, Instant now) {
        int changed = em.createQuery("update Run r set r.state = :failed, r.message = :why, r.updatedAt = :now"
                        + " where r.id = :id and r.state in :live")
                .setParameter("failed", Run.State.FAILED.name()).setParameter("why", why).setParameter("now", now)
                .setParameter("id", run.id()).setParameter("live", List.of(Run.State.RUNNING.name(), Run.State.WAITING.name()))
                .executeUpdate();
        if (changed == 0) {
            return false;
        }
        em.refresh(run);
        event(em, run, "state", null, Run.State.FAILED.wire(), why, now);
        audit.append(em, run.orgId(), "run.lost", new Actor("system", null), Map.of("run", run.id()), Map.of("why", why), now);
        moved(em, run.queue());
        return true;
    }

    /** Moves a queue on, waking the runners waiting on it on every node. */
    static void moved(EntityManager em, String queue) {
        int updated = em.createNativeQuery("update run_queues set seq = seq + 1 where id = ?1").setParameter(1, queue).executeUpdate();
        if (updated == 0) {
            // The queue's first run; a concurrent first one makes this insert fail and the transaction run again.
            em.createNativeQuery("insert into run_queues (id, seq) values (?1, 1)").setParameter(1, queue).executeUpdate();
        }
    }

    /** How far a queue has moved, for a claim that waits on it. */
    public static long queueMark(EntityManager em, String queue) {
        List<?> rows = em.createNativeQuery("select seq from run_queues where id = ?1").setParameter(1, queue).getResultList();
        return rows.isEmpty() ? 0 : ((Number) rows.get(0)).longValue();
    }

    /** Whether the caller may decide the steps of this run. */
    public boolean mayDecide(EntityManager em, Principal caller, Org org, Run run) {
        return run.startedBy().equals(caller.userId()) || Accounts.membership(em, org.id(), caller.userId())
                .map(m -> m.role().manages()).orElse(false);
    }

    public List<RunStep> steps(EntityManager em, String runId) {
        return em.createQuery("select s from RunStep s where s.runId = :run order by s.n", RunStep.class)
                .setParameter("run", runId).getResultList();
    }

    public RunView view(EntityManager em, Run run, List<RunStep> steps) {
        Set<String> ids = new HashSet<>();
        ids.add(run.startedBy());
        steps.stream().map(RunStep::decidedBy).filter(java.util.Objects::nonNull).forEach(ids::add);
        Map<String, String> logins = Users.logins(em, ids);
        return view(run, logins, steps.stream().map(s -> stepView(s, logins)).toList());
    }

    private static RunView view(Run run, Map<String, String> logins, List<StepView> steps) {
        return new RunView(run.id(), run.title(), run.state().wire(), run.approval(),
                new WorkspaceRef(run.workspaceName(), run.workspaceRoot(), run.workspaceBranch(), run.workspaceHead()),
                logins.getOrDefault(run.startedBy(), run.startedBy()), run.source(), run.recipe(), run.phase(), run.message(),
                run.commitHash(), run.seq(), run.createdAt(), run.updatedAt(), steps);
    }

    public static StepView stepView(RunStep step, Map<String, String> logins) {
        Body body = body(step);
        DecisionView decision = step.decision() == null ? null : new DecisionView(step.decision(),
                logins.getOrDefault(step.decidedBy(), step.decidedBy()), step.decidedAt(), step.decidedVia(),
                step.edited() == null ? null : read(step.edited(), EDITS));
        String diff = body.files() == null ? null : Diffs.unified(body.before(), body.files());
        return new StepView(step.n(), step.kind(), body.files(), body.before(), diff, body.argv(), body.cwd(), body.text(),
                step.verdict(), step.reason(), step.state().wire(), decision, step.exitCode(), step.output(), step.createdAt());
    }

    /**
     * The run, if the caller reports it (the runner that claimed it, else the person whose tool
     * started it) and it has not ended. A runner's report is also its heartbeat.
     */
    private Run reporting(EntityManager em, Reporter caller, Org org, String id, Instant now) {
        Run run = run(em, org, id);
        boolean reports = run.runnerId() != null ? run.runnerId().equals(caller.runnerId())
                : run.state() != Run.State.QUEUED && run.startedBy().equals(caller.userId());
        if (!reports) {
            throw ProblemException.forbidden(run.state() == Run.State.QUEUED ? "run " + run.id() + " waits for a runner of workspace "
                    + run.workspaceName() + "; its runner reports it" : "only the " + (run.runnerId() != null ? "runner" : "tool")
                    + " that carries out run " + run.id() + " reports its steps and progress");
        }
        if (caller.runnerId() != null) {
            run.heartbeat(now);
        }
        if (run.state().isFinal()) {
            throw ProblemException.conflict("run-ended", "Run ended", "run " + run.id() + " has ended (" + run.state().wire()
                    + "); start a new run");
        }
        return run;
    }

    private static RunStep step(EntityManager em, Run run, int n) {
        RunStep step = em.find(RunStep.class, RunStep.key(run.id(), n));
        if (step == null) {
            throw ProblemException.notFound("run " + run.id() + " has no step " + n + "; its steps are 1 to " + run.steps());
        }
        return step;
    }

    /** Waiting while any step waits for a person; running otherwise, until the run ends. */
    private static void settle(EntityManager em, Run run, Instant now) {
        if (run.state().isFinal()) {
            return;
        }
        long waiting = em.createQuery("select count(s) from RunStep s where s.runId = :run and s.state = :waiting", Long.class)
                .setParameter("run", run.id()).setParameter("waiting", RunStep.State.WAITING.name()).getSingleResult();
        Run.State next = waiting > 0 ? Run.State.WAITING : Run.State.RUNNING;
        if (run.state() != next) {
            run.moveTo(next);
            event(em, run, "state", null, next.wire(), null, now);
        }
    }

    private static void event(EntityManager em, Run run, String type, Integer step, String state, String message, Instant now) {
        // A null step binds untyped, which PostgreSQL will not put in an integer column without the cast.
        em.createNativeQuery("insert into run_events (run_id, seq, at, type, step, state, message)"
                        + " values (?1, ?2, ?3, ?4, cast(?5 as integer), ?6, ?7)")
                .setParameter(1, run.id()).setParameter(2, run.nextSeq(now)).setParameter(3, UtcInstantConverter.column(now))
                .setParameter(4, type).setParameter(5, step).setParameter(6, state).setParameter(7, clip(message, 2000))
                .executeUpdate();
    }

    private ProblemException alreadyDecided(EntityManager em, RunStep step) {
        if (step.decision() == null) {
            return notWaiting(step);
        }
        String who = Users.logins(em, List.of(step.decidedBy())).getOrDefault(step.decidedBy(), step.decidedBy());
        return ProblemException.conflict("already-decided", "Already decided", "step " + step.n() + " was already "
                + said(step.decision()) + " by " + who + " via " + step.decidedVia() + " at " + step.decidedAt() + "; the first decision stands");
    }

    private static ProblemException notWaiting(RunStep step) {
        return ProblemException.conflict("not-waiting", "Not waiting for a decision", "step " + step.n() + " does not wait for a decision: it is "
                + step.state().wire() + " (" + step.reason() + ")");
    }

    private static String said(String decision) {
        return switch (decision) {
            case "approve" -> "approved";
            case "edit" -> "approved with edits";
            default -> "rejected";
        };
    }

    private record Proposed(Step step, Body body) {
    }

    private Proposed proposed(StepRequest request) {
        if (request == null || request.kind() == null) {
            throw ProblemException.badRequest("send {\"kind\": \"change\" | \"command\" | \"note\", …}");
        }
        switch (request.kind()) {
            case "change" -> {
                absent(request.argv() == null && request.cwd() == null && request.text() == null, "a change carries files and before only");
                Map<String, String> files = request.files();
                if (files == null || files.isEmpty()) {
                    throw ProblemException.badRequest("a change needs files: {\"path\": \"new content\"}");
                }
                if (files.size() > MAX_FILES) {
                    throw ProblemException.badRequest("a change has at most " + MAX_FILES + " files, this one " + files.size());
                }
                Map<String, String> before = request.before() == null ? Map.of() : request.before();
                for (String path : files.keySet()) {
                    text(path, "a path of files", 1024, true);
                }
                for (String path : before.keySet()) {
                    if (!files.containsKey(path)) {
                        throw ProblemException.badRequest("before." + path + " is not one of the files the change writes");
                    }
                }
                files.forEach((path, content) -> text(content, "files." + path, Integer.MAX_VALUE, false));
                before.forEach((path, content) -> text(content, "before." + path, Integer.MAX_VALUE, false));
                limit(files, before);
                return new Proposed(new Step.FileChange(files), new Body(new java.util.TreeMap<>(files),
                        new java.util.TreeMap<>(before), null, null, null));
            }
            case "command" -> {
                absent(request.files() == null && request.before() == null && request.text() == null, "a command carries argv and cwd only");
                List<String> argv = request.argv();
                if (argv == null || argv.isEmpty() || argv.size() > 256) {
                    throw ProblemException.badRequest("argv must list the program and its arguments (at most 256)");
                }
                argv.forEach(a -> text(a, "each of argv", 4096, true));
                String cwd = request.cwd() == null ? "." : text(request.cwd(), "cwd", 1024, true);
                return new Proposed(new Step.Command(argv, cwd), new Body(null, null, List.copyOf(argv), cwd, null));
            }
            case "note" -> {
                absent(request.files() == null && request.before() == null && request.argv() == null && request.cwd() == null,
                        "a note carries text only");
                String text = text(request.text(), "text", 4096, true);
                return new Proposed(new Step.Note(text), new Body(null, null, null, null, text));
            }
            default -> throw ProblemException.badRequest("kind must be change, command or note, was '" + clip(request.kind(), 40) + "'");
        }
    }

    private void limit(Map<String, String> files, Map<String, String> before) {
        long bytes = 0;
        for (Map<String, String> map : List.of(files, before)) {
            for (Map.Entry<String, String> e : map.entrySet()) {
                bytes += e.getKey().length() + (e.getValue() == null ? 0 : e.getValue().getBytes(StandardCharsets.UTF_8).length);
            }
        }
        if (bytes > stepBytes) {
            throw new ProblemException(413, "step-too-large", "Step too large", "a step's files come to " + bytes
                    + " bytes; a step may carry at most " + stepBytes + " (split the change into several steps)");
        }
    }

    private static void absent(boolean ok, String what) {
        if (!ok) {
            throw ProblemException.badRequest(what);
        }
    }

    private static String approval(String approval) {
        try {
            return approval == null ? "policy" : ApprovalMode.parse(approval).name().toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("approval must be all, policy or none");
        }
    }

    private static String recipe(String recipe) {
        if (!RECIPE.matcher(recipe).matches()) {
            throw ProblemException.badRequest("recipe must name a file of .ccp/recipes/ without .json: letters, digits, '.', '_' and '-'");
        }
        return recipe;
    }

    private static Run.State state(String state) {
        try {
            return Run.State.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("state must be one of queued, running, waiting, succeeded, failed, cancelled");
        }
    }

    private static String oneOf(String value, String what, Set<String> allowed) {
        if (!allowed.contains(value)) {
            throw ProblemException.badRequest(what + " must be one of " + allowed.stream().sorted().toList() + ", was '" + clip(value, 40) + "'");
        }
        return value;
    }

    /** A text field: at most {@code max} characters, no NUL; blank counts as absent. */
    private static String text(String value, String what, int max, boolean required) {
        if (value == null || (required && value.isBlank())) {
            if (required) {
                throw ProblemException.badRequest(what + " is required");
            }
            return null;
        }
        if (value.indexOf('\0') >= 0) {
            throw ProblemException.badRequest(what + " must not contain NUL characters");
        }
        if (value.length() > max) {
            throw ProblemException.badRequest(what + " must be at most " + max + " characters");
        }
        return value;
    }

    private static String lastSegment(String root) {
        String trimmed = root.replace('\\', '/').replaceAll("/+$", "");
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    private static String tail(String output) {
        return output.length() <= MAX_OUTPUT ? output : output.substring(output.length() - MAX_OUTPUT);
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static Map<String, Object> details(Object... pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                out.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return out;
    }


    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, String>> EDITS = new com.fasterxml.jackson.core.type.TypeReference<>() {
    };

    static Body body(RunStep step) {
        return read(step.body(), new com.fasterxml.jackson.core.type.TypeReference<Body>() {
        });
    }

    private static <T> T read(String json, com.fasterxml.jackson.core.type.TypeReference<T> type) {
        try {
            return Json.lenient().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored step cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    private static String json(Object value) {
        try {
            return Json.lenient().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
