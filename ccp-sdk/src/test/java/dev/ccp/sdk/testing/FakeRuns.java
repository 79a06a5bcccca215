package dev.ccp.sdk.testing;

import com.sun.net.httpserver.HttpExchange;
import dev.ccp.spi.policy.PolicyDocument;
import dev.ccp.spi.runs.ApprovalMode;
import dev.ccp.spi.runs.Diffs;
import dev.ccp.spi.runs.RunPolicy;
import dev.ccp.spi.runs.Step;
import dev.ccp.spi.wire.DecisionRequest;
import dev.ccp.spi.wire.DecisionView;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.Problem;
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
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runs endpoints of {@link FakeCcpServer}, as {@code docs/runs.md} describes them: verdicts from
 * {@link RunPolicy} against {@link #policy}, the first decision wins (a second gets {@code 409}), and
 * the events endpoint holds a request ({@code Prefer: wait=S}) until there is an event.
 * {@link #decideOnTheWeb} decides as a person on the web pages would.
 */
public final class FakeRuns {

    private static final Pattern RUN = Pattern.compile("/v1/runs/([^/]+)(/.*)?");
    private static final Pattern STEP = Pattern.compile("/steps/(\\d+)/(decision|outcome)");

    private final FakeCcpServer server;
    private final Clock clock;
    private final Object lock = new Object();
    private final Map<String, Held> runs = new LinkedHashMap<>();
    /** The policy the verdicts come from. */
    public volatile PolicyDocument policy = PolicyDocument.of(Json.lenient().createObjectNode().put("schema", PolicyDocument.SCHEMA));
    /** While true, the events endpoint answers nothing new, as if the decisions had not reached it yet. */
    public volatile boolean holdEvents;
    /** Every decision asked for over HTTP, with the status it was answered. */
    public final List<String> decisions = new CopyOnWriteArrayList<>();
    public final List<StepOutcome> outcomes = new CopyOnWriteArrayList<>();
    public final List<RunProgress> progress = new CopyOnWriteArrayList<>();
    public final List<RunFinish> finishes = new CopyOnWriteArrayList<>();
    public final List<RunRequest> started = new CopyOnWriteArrayList<>();
    /** Every step proposed, as the server answered it, for a test to wait on. */
    public final java.util.concurrent.BlockingQueue<StepView> proposed = new java.util.concurrent.LinkedBlockingQueue<>();

    private static final class Held {
        RunView run;
        final List<StepView> steps = new ArrayList<>();
        final List<RunEvent> events = new ArrayList<>();
    }

    FakeRuns(FakeCcpServer server, Clock clock) {
        this.server = server;
        this.clock = clock;
    }

    /** A run as the server holds it, with its steps. */
    public RunView run(String id) {
        synchronized (lock) {
            Held held = runs.get(id);
            return held == null ? null : withSteps(held);
        }
    }

    /** Queues a run for the runner of workspace {@code workspace}, as someone on the web would. */
    public RunView queue(String title, String approval, String workspace, String recipe) {
        synchronized (lock) {
            Held held = new Held();
            String id = "run_" + (runs.size() + 1);
            held.run = new RunView(id, title, "queued", approval, new WorkspaceRef(workspace, null, null, null), "bob@example.com", "web",
                    recipe, null, null, null, 0, clock.instant(), clock.instant(), null);
            runs.put(id, held);
            event(held, "created", null, "queued", title);
            return held.run;
        }
    }

    /**
     * Hands out the oldest queued run of {@code workspace}, now running, holding the request up to
     * {@code waitSeconds} until one is queued; null when none was.
     */
    RunView claim(String workspace, long waitSeconds) {
        synchronized (lock) {
            await(System.nanoTime() + waitSeconds * 1_000_000_000L, () -> queued(workspace) != null);
            Held held = queued(workspace);
            if (held == null) {
                return null;
            }
            held.run = run(held, "running", null);
            event(held, "state", null, "running", "claimed by a runner");
            return withSteps(held);
        }
    }

    private Held queued(String workspace) {
        return runs.values().stream().filter(h -> h.run.state().equals("queued") && h.run.workspace() != null
                && workspace.equals(h.run.workspace().name())).findFirst().orElse(null);
    }

    /** Waits, holding the lock between looks, until {@code done} or the deadline (of {@link System#nanoTime()}). */
    private void await(long deadline, java.util.function.BooleanSupplier done) {
        while (!done.getAsBoolean() && deadline - System.nanoTime() > 0) {
            try {
                lock.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Decides a step as a person on the web would; false when it was decided already. */
    public boolean decideOnTheWeb(String id, int n, DecisionRequest request, String by) {
        synchronized (lock) {
            return decide(runs.get(id), n, request, by) != null;
        }
    }

    boolean handle(HttpExchange exchange, String method, String path) throws IOException {
        if (!path.startsWith("/v1/runs")) {
            return false;
        }
        synchronized (lock) {
            if (path.equals("/v1/runs")) {
                if (method.equals("POST")) {
                    start(exchange);
                } else {
                    List<RunView> newestFirst = new ArrayList<>();
                    runs.values().forEach(h -> newestFirst.add(0, h.run));
                    FakeCcpServer.json(exchange, 200, newestFirst);
                }
                return true;
            }
            Matcher m = RUN.matcher(path);
            Held held = m.matches() ? runs.get(m.group(1)) : null;
            if (held == null) {
                FakeCcpServer.problem(exchange, Problem.of(404, "not-found", "Not found", "no run " + path));
                return true;
            }
            String rest = m.group(2) == null ? "" : m.group(2);
            if (method.equals("GET") && rest.isEmpty()) {
                FakeCcpServer.json(exchange, 200, withSteps(held));
            } else if (method.equals("GET") && rest.equals("/events")) {
                events(exchange, held);
            } else if (method.equals("POST") && rest.equals("/steps")) {
                propose(exchange, held);
            } else if (method.equals("POST") && rest.equals("/progress")) {
                RunProgress p = Json.strict().readValue(exchange.getRequestBody(), RunProgress.class);
                progress.add(p);
                event(held, "progress", null, held.run.state(), p.message());
                FakeCcpServer.send(exchange, 204, null, null);
            } else if (method.equals("POST") && rest.equals("/finish")) {
                RunFinish f = Json.strict().readValue(exchange.getRequestBody(), RunFinish.class);
                finishes.add(f);
                held.run = run(held, f.state(), f.commit());
                event(held, "state", null, f.state(), f.message());
                FakeCcpServer.json(exchange, 200, withSteps(held));
            } else {
                Matcher s = STEP.matcher(rest);
                if (!method.equals("POST") || !s.matches() || Integer.parseInt(s.group(1)) > held.steps.size()) {
                    FakeCcpServer.problem(exchange, Problem.of(404, "not-found", "Not found", method + " " + path));
                } else if (s.group(2).equals("decision")) {
                    decision(exchange, held, Integer.parseInt(s.group(1)));
                } else {
                    outcome(exchange, held, Integer.parseInt(s.group(1)));
                }
            }
            return true;
        }
    }

    private void start(HttpExchange exchange) throws IOException {
        RunRequest request = Json.strict().readValue(exchange.getRequestBody(), RunRequest.class);
        started.add(request);
        Held held = new Held();
        String id = "run_" + (runs.size() + 1);
        String state = request.recipe() == null ? "running" : "queued";
        held.run = new RunView(id, request.title(), state, request.approval(), request.workspace(), server.login, request.source(),
                request.recipe(), null, null, null, 0, clock.instant(), clock.instant(), null);
        runs.put(id, held);
        event(held, "created", null, state, request.title());
        FakeCcpServer.json(exchange, 201, held.run);
    }

    private void propose(HttpExchange exchange, Held held) throws IOException {
        StepRequest r = Json.strict().readValue(exchange.getRequestBody(), StepRequest.class);
        Step step = switch (r.kind()) {
            case "change" -> new Step.FileChange(r.files());
            case "command" -> new Step.Command(r.argv(), r.cwd());
            default -> new Step.Note(r.text());
        };
        RunPolicy.Check check = RunPolicy.check(step, policy, ApprovalMode.parse(held.run.approval()));
        String state = switch (check.verdict()) {
            case DENIED -> "denied";
            case NEEDS_APPROVAL -> "waiting";
            case ALLOWED -> "ready";
        };
        StepView view = new StepView(held.steps.size() + 1, r.kind(), r.files(), r.before(),
                r.files() == null ? null : Diffs.unified(r.before(), r.files()), r.argv(), r.cwd(), r.text(),
                check.verdict().name().toLowerCase(Locale.ROOT), check.reason(), state, null, null, null, clock.instant());
        held.steps.add(view);
        proposed.add(view);
        event(held, "step", view.n(), state, check.reason());
        FakeCcpServer.json(exchange, 201, view);
    }

    private void decision(HttpExchange exchange, Held held, int n) throws IOException {
        DecisionRequest request = Json.strict().readValue(exchange.getRequestBody(), DecisionRequest.class);
        StepView decided = decide(held, n, request, server.login);
        decisions.add(request.decision() + " " + n + " via " + request.via() + ": " + (decided == null ? 409 : 200));
        if (decided == null) {
            DecisionView first = held.steps.get(n - 1).decision();
            FakeCcpServer.problem(exchange, Problem.of(409, "already-decided", "Already decided", first == null
                    ? "step " + n + " does not wait for a decision"
                    : "step " + n + " was decided already: " + first.decision() + " by " + first.by() + " via " + first.via()));
        } else {
            FakeCcpServer.json(exchange, 200, decided);
        }
    }

    private StepView decide(Held held, int n, DecisionRequest request, String by) {
        StepView v = held.steps.get(n - 1);
        if (!v.state().equals("waiting")) {
            return null;
        }
        boolean approve = request.decision().equals("approve");
        String kind = !approve ? "reject" : request.files() != null && !request.files().isEmpty() ? "edit" : "approve";
        DecisionView decision = new DecisionView(kind, by, clock.instant(), request.via(), kind.equals("edit") ? request.files() : null);
        StepView decided = step(v, approve ? "ready" : "rejected", decision, null, null);
        held.steps.set(n - 1, decided);
        event(held, "decided", n, decided.state(), kind + " by " + by + " via " + request.via());
        return decided;
    }

    private void outcome(HttpExchange exchange, Held held, int n) throws IOException {
        StepOutcome outcome = Json.strict().readValue(exchange.getRequestBody(), StepOutcome.class);
        StepView v = held.steps.get(n - 1);
        if (!v.state().equals("ready")) {
            FakeCcpServer.problem(exchange, Problem.of(409, "not-ready", "Not ready", "step " + n + " is " + v.state()));
            return;
        }
        outcomes.add(outcome);
        held.steps.set(n - 1, step(v, outcome.state(), v.decision(), outcome.exitCode(), outcome.output()));
        event(held, "outcome", n, outcome.state(), null);
        FakeCcpServer.json(exchange, 200, held.steps.get(n - 1));
    }

    private void events(HttpExchange exchange, Held held) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        long after = Long.parseLong(query.replaceAll(".*after=(\\d+).*", "$1"));
        String prefer = exchange.getRequestHeaders().getFirst("Prefer");
        long deadline = System.nanoTime() + (prefer == null ? 0 : Long.parseLong(prefer.replace("wait=", "").strip()) * 1_000_000_000L);
        await(deadline, () -> !holdEvents && held.events.size() > after);
        if (Thread.currentThread().isInterrupted()) {
            return;
        }
        List<RunEvent> events = holdEvents ? List.of() : List.copyOf(held.events.subList((int) Math.min(after, held.events.size()), held.events.size()));
        FakeCcpServer.json(exchange, 200, new RunEvents(events, events.isEmpty() ? after : events.get(events.size() - 1).seq(), held.run.state()));
    }

    /** Lets held event requests see what happened meanwhile. */
    public void release() {
        synchronized (lock) {
            holdEvents = false;
            lock.notifyAll();
        }
    }

    private void event(Held held, String type, Integer step, String state, String message) {
        held.events.add(new RunEvent(held.events.size() + 1, clock.instant(), type, step, state, message));
        held.run = run(held, held.run.state(), held.run.commit());
        lock.notifyAll();
    }

    private RunView run(Held held, String state, String commit) {
        RunView r = held.run;
        return new RunView(r.id(), r.title(), state, r.approval(), r.workspace(), r.startedBy(), r.source(), r.recipe(), r.phase(),
                r.message(), commit, held.events.size(), r.createdAt(), clock.instant(), null);
    }

    private RunView withSteps(Held held) {
        RunView r = held.run;
        return new RunView(r.id(), r.title(), r.state(), r.approval(), r.workspace(), r.startedBy(), r.source(), r.recipe(), r.phase(),
                r.message(), r.commit(), r.seq(), r.createdAt(), r.updatedAt(), List.copyOf(held.steps));
    }

    private static StepView step(StepView v, String state, DecisionView decision, Integer exitCode, String output) {
        return new StepView(v.n(), v.kind(), v.files(), v.before(), v.diff(), v.argv(), v.cwd(), v.text(), v.verdict(), v.reason(),
                state, decision, exitCode, output, v.createdAt());
    }
}
