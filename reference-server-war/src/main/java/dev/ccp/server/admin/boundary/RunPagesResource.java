package dev.ccp.server.admin.boundary;

import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.platform.pages.Csrf;
import dev.ccp.server.runs.control.RunWatch;
import dev.ccp.server.runs.control.Runs;
import dev.ccp.server.runs.entity.Run;
import dev.ccp.server.web.control.WebSessions;
import dev.ccp.spi.wire.DecisionRequest;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.StepView;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /runs} and {@code /runs/{id}}: the org's runs for every member, and a run with its steps,
 * each change's diff rendered here, command output and decisions. A waiting step has Approve and
 * Reject buttons, plain forms, for whoever {@link Runs} lets decide it.
 */
@RequestScoped
@Path("runs")
@Produces(MediaType.TEXT_HTML)
public class RunPagesResource extends AdminPages {

    private static final Page LIST = new Page("runs", "Runs", true, "/runs", "runs");

    @Inject
    Runs runs;
    @Inject
    RunWatch watch;

    @GET
    public Response list(@CookieParam(WebSessions.COOKIE) String session, @QueryParam("state") String state) {
        return show(session, LIST, null, (em, admin, scope) -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (RunView run : runs.list(em, admin.org(), state == null || state.isBlank() ? null : state, 100)) {
                Map<String, Object> row = new HashMap<>();
                row.put("href", Csrf.path(request, "/runs/" + run.id()));
                row.put("id", run.id());
                row.put("title", run.title());
                row.put("state", run.state());
                row.put("workspace", run.workspace().name());
                row.put("by", run.startedBy());
                row.put("at", when(run.createdAt()));
                rows.add(row);
            }
            scope.put("runs", rows);
            scope.put("hasRuns", !rows.isEmpty());
        });
    }

    @GET
    @Path("{id}")
    public Response run(@CookieParam(WebSessions.COOKIE) String session, @PathParam("id") String id, @QueryParam("done") String done) {
        return show(session, page(id), done, (em, admin, scope) -> fill(em, admin, id, scope));
    }

    @POST
    @Path("{id}/steps/{n}/decision")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response decide(@CookieParam(WebSessions.COOKIE) String session, @PathParam("id") String id, @PathParam("n") String n,
            MultivaluedMap<String, String> form) {
        return change(session, form, page(id), (em, admin, scope) -> fill(em, admin, id, scope), false, (em, admin, fields) -> {
            Long step = number(n, "That is not a step of this run.");
            String decision = fields.get("decision");
            if (step == null || step < 1 || step > Integer.MAX_VALUE || !("approve".equals(decision) || "reject".equals(decision))) {
                throw ProblemException.badRequest("Choose Approve or Reject on a step of this run.");
            }
            runs.decide(em, admin.caller(), admin.org(), id, step.intValue(), new DecisionRequest(decision, null, "web"), admin.now());
            RunWatch.Head head = new RunWatch.Head(id, runs.run(em, admin.org(), id).seq());
            // The tool waiting on this run hears of the decision once it is committed, as after the API's.
            return Done.notice("approve".equals(decision) ? "approved" : "rejected").then(() -> watch.changed(head));
        });
    }

    private static Page page(String id) {
        String safe = id == null || !id.matches("[A-Za-z0-9_]{1,40}") ? "unknown" : id;
        return new Page("runs", "Run " + safe, true, "/runs/" + safe, "run");
    }

    private void fill(EntityManager em, Admin admin, String id, Map<String, Object> scope) {
        Run run = runs.run(em, admin.org(), id);
        RunView view = runs.view(em, run, runs.steps(em, run.id()));
        boolean mayDecide = runs.mayDecide(em, admin.caller(), admin.org(), run);
        scope.put("run", Map.of("title", view.title(), "state", view.state(), "workspace", view.workspace().name(),
                "branch", view.workspace().branch() == null ? "" : view.workspace().branch(), "by", view.startedBy(),
                "source", view.source(), "approval", view.approval(), "at", when(view.createdAt()),
                "phase", view.phase() == null ? "" : view.phase() + (view.message() == null ? "" : ": " + view.message()),
                "commit", view.commit() == null ? "" : view.commit()));
        scope.put("listHref", Csrf.path(request, "/runs"));
        List<Map<String, Object>> steps = new ArrayList<>();
        for (StepView step : view.steps()) {
            Map<String, Object> s = new HashMap<>();
            s.put("n", step.n());
            s.put("kind", step.kind());
            s.put("state", step.state());
            s.put("reason", step.reason());
            s.put("waiting", "waiting".equals(step.state()) && mayDecide);
            s.put("action", Csrf.path(request, "/runs/" + run.id() + "/steps/" + step.n() + "/decision"));
            if (step.argv() != null) {
                s.put("command", String.join(" ", step.argv()) + (".".equals(step.cwd()) ? "" : "   (in " + step.cwd() + ")"));
            }
            s.put("text", step.text());
            s.put("files", step.files() == null ? null : String.join(", ", step.files().keySet()));
            s.put("diff", step.diff() == null ? null : lines(step.diff()));
            s.put("hasDiff", step.diff() != null && !step.diff().isEmpty());
            s.put("exitCode", step.exitCode() == null ? null : step.exitCode().toString());
            s.put("output", step.output());
            if (step.decision() != null) {
                s.put("decision", ("edit".equals(step.decision().decision()) ? "approved with edits"
                        : "approve".equals(step.decision().decision()) ? "approved" : "rejected")
                        + " by " + step.decision().by() + " via " + step.decision().via() + ", " + when(step.decision().at()));
            }
            steps.add(s);
        }
        scope.put("steps", steps);
    }

    /** A diff's lines with the class that colours them. */
    private static List<Map<String, String>> lines(String diff) {
        List<Map<String, String>> out = new ArrayList<>();
        for (String line : diff.split("\n", -1)) {
            String kind = line.startsWith("+++") || line.startsWith("---") || line.startsWith("diff ") ? "file"
                    : line.startsWith("@@") ? "hunk" : line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : "ctx";
            out.add(Map.of("line", line, "kind", kind));
        }
        if (!out.isEmpty() && out.get(out.size() - 1).get("line").isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }
}
