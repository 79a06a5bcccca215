package dev.ccp.server.runs.boundary;

import dev.ccp.server.identity.boundary.Bearer;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.org.control.Members;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.platform.http.Requests;
import dev.ccp.server.identity.boundary.BearerCheck;
import dev.ccp.server.runs.control.RunWatch;
import dev.ccp.server.runs.control.Runners;
import dev.ccp.server.runs.control.Runs;
import dev.ccp.server.runs.entity.Run;
import dev.ccp.spi.wire.DecisionRequest;
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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code /v1/runs}: the runs of the caller's org (see {@link Runs}). Every change answers after its
 * commit and then wakes the requests following the run on this node; other nodes see it at their
 * next poll of the runs' event counts.
 */
@ApplicationScoped
@Bearer
@Path("v1/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunsResource {

    public static final int MAX_WAIT_SECONDS = 60;
    /** How long one server-sent event stream lasts before the client reconnects with Last-Event-ID. */
    static final int STREAM_SECONDS = 300;

    @Inject
    Tx tx;
    @Inject
    Tokens tokens;
    @Inject
    Members members;
    @Inject
    Runs runs;
    @Inject
    RunWatch watch;
    @Inject
    Runners runners;
    @Inject
    Clock clock;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, RunRequest request) {
        RunView run = change(authorization, null, (em, caller, org) -> runs.start(em, caller.person(), org, request, clock.instant()));
        return Response.created(URI.create("v1/runs/" + run.id())).entity(run).build();
    }

    @GET
    public List<RunView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("state") String state,
            @QueryParam("limit") String limit) {
        int most = number(limit, "limit", 50);
        return read(authorization, (em, caller, org) -> {
            caller.person(); // a runner sees only the run it claimed
            return runs.list(em, org, state, most);
        });
    }

    @GET
    @Path("{id}")
    public RunView read(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        return read(authorization, (em, caller, org) -> runs.read(em, org, caller.visible(em, runs, org, id)));
    }

    @POST
    @Path("{id}/steps")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response propose(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id,
            StepRequest request) {
        StepView step = change(authorization, id, (em, caller, org) -> runs.propose(em, caller.reporter(), org, id, request, clock.instant()));
        return Response.created(URI.create("v1/runs/" + id + "/steps/" + step.n())).entity(step).build();
    }

    @POST
    @Path("{id}/steps/{n}/decision")
    @Consumes(MediaType.APPLICATION_JSON)
    public StepView decide(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id,
            @PathParam("n") int n, DecisionRequest request) {
        return change(authorization, id, (em, caller, org) -> runs.decide(em, caller.person(), org, id, n, request, clock.instant()));
    }

    @POST
    @Path("{id}/steps/{n}/outcome")
    @Consumes(MediaType.APPLICATION_JSON)
    public StepView outcome(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id,
            @PathParam("n") int n, StepOutcome outcome) {
        return change(authorization, id, (em, caller, org) -> runs.outcome(em, caller.reporter(), org, id, n, outcome, clock.instant()));
    }

    @POST
    @Path("{id}/progress")
    @Consumes(MediaType.APPLICATION_JSON)
    public RunView progress(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id,
            RunProgress progress) {
        return change(authorization, id, (em, caller, org) -> runs.progress(em, caller.reporter(), org, id, progress, clock.instant()));
    }

    @POST
    @Path("{id}/finish")
    @Consumes(MediaType.APPLICATION_JSON)
    public RunView finish(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id,
            RunFinish finish) {
        return change(authorization, id, (em, caller, org) -> runs.finish(em, caller.reporter(), org, id, finish, clock.instant()));
    }

    /**
     * The events after {@code after}; with {@code Prefer: wait=S} and none yet, the request is held
     * (costing no thread) until there is one or S seconds pass, then answers what there is.
     */
    @GET
    @Path("{id}/events")
    public void events(@Suspended AsyncResponse async, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("id") String id, @QueryParam("after") String after, @HeaderParam("Prefer") String prefer) {
        try {
            long from = number(after, "after", 0);
            int wait = Requests.waitSeconds(prefer, MAX_WAIT_SECONDS);
            long readAt = System.nanoTime();
            Seen seen = seen(authorization, id, from);
            if (!seen.events().events().isEmpty() || wait == 0 || ended(seen)) {
                async.resume(json(seen.events()));
                return;
            }
            // Woken on the thread of whatever request changed the run, or of the poller: the answer
            // is made into bytes here, needing nothing of the request that happens to be running there.
            RunWatch.Waiter<RunWatch.Head> waiter = watch.await(id, Long.toString(seen.seq()), readAt, head -> {
                try {
                    async.resume(json(seen(authorization, id, from).events()));
                } catch (RuntimeException e) {
                    async.resume(e);
                }
            });
            async.setTimeoutHandler(timedOut -> {
                watch.cancel(waiter);
                timedOut.resume(json(seen.events()));
            });
            async.setTimeout(wait, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            async.resume(e);
        }
    }

    /**
     * The same events as server-sent events, each with its sequence as id, from {@code Last-Event-ID}
     * (or {@code after}); the stream ends when the run does, or after five minutes.
     */
    @GET
    @Path("{id}/events")
    // Below JSON for a client that accepts anything: only one that asks for a stream gets one.
    @Produces(MediaType.SERVER_SENT_EVENTS + ";qs=0.5")
    public void stream(@Context SseEventSink sink, @Context Sse sse, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("id") String id, @QueryParam("after") String after, @HeaderParam("Last-Event-ID") String lastEventId) {
        long from = number(lastEventId != null ? lastEventId : after, lastEventId != null ? "Last-Event-ID" : "after", 0);
        long readAt = System.nanoTime();
        Seen first = seen(authorization, id, from); // refused before the stream opens: a plain problem answer
        new Stream(sink, sse, authorization, id, readAt + TimeUnit.SECONDS.toNanos(STREAM_SECONDS)).send(first, readAt);
    }

    /** One open stream: sends what is new, then waits on the watch for more, holding no thread. */
    private final class Stream {
        private final SseEventSink sink;
        private final Sse sse;
        private final String authorization;
        private final String id;
        private final long until;

        Stream(SseEventSink sink, Sse sse, String authorization, String id, long until) {
            this.sink = sink;
            this.sse = sse;
            this.authorization = authorization;
            this.id = id;
            this.until = until;
        }

        /** Sends what {@code seen} holds, read after {@code readAt}. */
        void send(Seen seen, long readAt) {
            for (RunEvent event : seen.events().events()) {
                sink.send(sse.newEventBuilder().id(Long.toString(event.seq())).name(event.type())
                        .data(String.class, text(event)).build());
            }
            if (ended(seen) || sink.isClosed() || System.nanoTime() > until) {
                sink.close();
                return;
            }
            long next = seen.events().next();
            // A quiet run's stream still ends at its time, and one whose client left is let go then.
            watch.awaitUntil(id, Long.toString(seen.seq()), readAt, until, head -> {
                if (head == null || sink.isClosed()) {
                    sink.close();
                    return;
                }
                try {
                    long again = System.nanoTime();
                    send(seen(authorization, id, next), again);
                } catch (RuntimeException e) {
                    sink.close();
                }
            });
        }
    }

    private static boolean ended(Seen seen) {
        return Run.State.valueOf(seen.events().state().toUpperCase(java.util.Locale.ROOT)).isFinal();
    }

    /** An answer already made into bytes, for a request resumed on the thread of whatever woke it. */
    static Response json(Object entity) {
        return Response.ok(text(entity), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static String text(Object entity) {
        try {
            return Json.lenient().writeValueAsString(entity);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The events after a point and the run's event count they were read at. */
    private record Seen(RunEvents events, long seq) {
    }

    private Seen seen(String authorization, String id, long after) {
        return read(authorization, (em, caller, org) -> {
            RunEvents events = runs.events(em, org, caller.visible(em, runs, org, id), after, 500);
            return new Seen(events, runs.run(em, org, id).seq());
        });
    }

    /**
     * A member of the org with an access token, or a runner with its own token, which sees and
     * reports only the run it claimed and decides nothing.
     */
    record Caller(Principal user, Runners.Caller runner) {

        /** The person calling; a runner is refused what only people do. */
        Principal person() {
            if (user == null) {
                throw ProblemException.forbidden("a runner carries out the run it claimed; starting and deciding runs is for people");
            }
            return user;
        }

        Runs.Reporter reporter() {
            return user != null ? Runs.Reporter.user(user) : Runs.Reporter.runner(runner.runner().id());
        }

        /** The run's id, when the caller may see it: any run of the org for a member, its own for a runner. */
        String visible(EntityManager em, Runs runs, Org org, String id) {
            Run run = runs.run(em, org, id);
            if (runner != null && !runner.runner().id().equals(run.runnerId())) {
                throw ProblemException.notFound("no run '" + id + "' claimed by this runner");
            }
            return id;
        }
    }

    private interface Work<T> {
        T apply(EntityManager em, Caller caller, Org org);
    }

    private <T> T read(String authorization, Work<T> work) {
        return tx.call(em -> {
            Instant now = clock.instant();
            if (authorization != null && authorization.regionMatches(true, 0, BearerCheck.RUNNER_PREFIX, 0, BearerCheck.RUNNER_PREFIX.length())) {
                Runners.Caller runner = runners.authenticate(em, authorization, now);
                runners.heartbeat(em, runner, now);
                return work.apply(em, new Caller(null, runner), runner.org());
            }
            Principal caller = tokens.authenticate(em, authorization, now);
            return work.apply(em, new Caller(caller, null), members.memberOrg(em, caller));
        });
    }

    /** Changes a run, and once committed wakes whoever follows it here. */
    private <T> T change(String authorization, String runId, Work<T> work) {
        record Changed<T>(T result, RunWatch.Head head) {
        }
        Changed<T> changed = read(authorization, (em, caller, org) -> {
            T result = work.apply(em, caller, org);
            String id = runId != null ? runId : result instanceof RunView view ? view.id() : null;
            Run run = id == null ? null : runs.run(em, org, id);
            return new Changed<>(result, run == null ? null : new RunWatch.Head(run.id(), run.seq()));
        });
        if (changed.head() != null) {
            watch.changed(changed.head());
        }
        return changed.result();
    }

    private static int number(String text, String what, int fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text.strip());
            if (value < 0 || value > Integer.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return (int) value;
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(what + " must be a whole number from 0, was '" + (text.length() > 40 ? text.substring(0, 40) : text) + "'");
        }
    }
}
