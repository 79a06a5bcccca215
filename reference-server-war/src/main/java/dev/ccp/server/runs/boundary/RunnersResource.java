package dev.ccp.server.runs.boundary;

import dev.ccp.server.identity.boundary.Bearer;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.org.control.Members;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.Requests;
import dev.ccp.server.runs.control.QueueWatch;
import dev.ccp.server.runs.control.Runners;
import dev.ccp.server.runs.control.Runs;
import dev.ccp.server.runs.entity.Run;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.RunnerRequest;
import dev.ccp.spi.wire.RunnerView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code /v1/runners}: owners and admins register, list and revoke their org's runners; a runner,
 * with its own token, claims the queued runs of its workspace and says it is alive.
 */
@ApplicationScoped
@Bearer
@Path("v1/runners")
@Produces(MediaType.APPLICATION_JSON)
public class RunnersResource {

    private static final String WHAT = "its runners";

    @Inject
    Tx tx;
    @Inject
    Tokens tokens;
    @Inject
    Members members;
    @Inject
    Runners runners;
    @Inject
    QueueWatch queues;
    @Inject
    Clock clock;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, RunnerRequest request) {
        RunnerView runner = managed(authorization, (em, caller, org) -> runners.register(em, caller, org, request, clock.instant()));
        return Response.created(URI.create("v1/runners/" + runner.id())).entity(runner).build();
    }

    @GET
    public List<RunnerView> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return managed(authorization, (em, caller, org) -> runners.list(em, org));
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        managed(authorization, (em, caller, org) -> {
            runners.revoke(em, caller, org, id, clock.instant());
            return null;
        });
        return Response.noContent().build();
    }

    @POST
    @Path("heartbeat")
    public Response heartbeat(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        tx.run(em -> runners.heartbeat(em, runners.authenticate(em, authorization, clock.instant()), clock.instant()));
        return Response.noContent().build();
    }

    /**
     * The oldest queued run of the runner's workspace, or 204; with {@code Prefer: wait=S} and none
     * yet, the request is held (costing no thread) until the workspace's queue moves or S seconds pass.
     */
    @POST
    @Path("claim")
    public void claim(@Suspended AsyncResponse async, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("Prefer") String prefer) {
        try {
            int wait = Requests.waitSeconds(prefer, RunsResource.MAX_WAIT_SECONDS);
            long readAt = System.nanoTime();
            Attempt first = attempt(authorization);
            if (first.run().isPresent() || wait == 0) {
                async.resume(answer(first));
                return;
            }
            QueueWatch.Waiter<QueueWatch.Head> waiter = queues.await(first.queue(), Long.toString(first.mark()), readAt, head -> {
                try {
                    async.resume(head == null ? Response.noContent().build() : answer(attempt(authorization)));
                } catch (RuntimeException e) {
                    async.resume(e);
                }
            });
            async.setTimeoutHandler(timedOut -> {
                queues.cancel(waiter);
                timedOut.resume(Response.noContent().build());
            });
            async.setTimeout(wait, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            async.resume(e);
        }
    }

    /** A claim: the run it got, if any, and the queue it looked at, as far as it had moved. */
    private record Attempt(Optional<RunView> run, String queue, long mark) {
    }

    private Attempt attempt(String authorization) {
        return tx.call(em -> {
            Runners.Caller runner = runners.authenticate(em, authorization, clock.instant());
            String queue = Run.queue(runner.org().id(), runner.runner().workspace());
            long mark = Runs.queueMark(em, queue);
            return new Attempt(runners.claim(em, runner, clock.instant()), queue, mark);
        });
    }

    /** Made into bytes here: a woken claim answers on the thread of whatever request woke it. */
    private static Response answer(Attempt attempt) {
        if (attempt.run().isEmpty()) {
            return Response.noContent().build();
        }
        return RunsResource.json(attempt.run().get());
    }

    private interface Work<T> {
        T apply(EntityManager em, Principal caller, Org org);
    }

    private <T> T managed(String authorization, Work<T> work) {
        return tx.call(em -> {
            Principal caller = tokens.authenticate(em, authorization, clock.instant());
            return work.apply(em, caller, members.tokenOrgManagedBy(em, caller, WHAT));
        });
    }
}
