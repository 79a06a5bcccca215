package dev.ccp.server.policy.boundary;

import dev.ccp.server.identity.boundary.Bearer;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.license.boundary.LicenseResource;
import dev.ccp.server.org.control.Members;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.platform.http.Requests;
import dev.ccp.server.policy.control.Policies;
import dev.ccp.server.policy.control.PolicyWatch;
import dev.ccp.server.policy.entity.PolicyHead;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v1/policy/{channel}}: the signed pack of the caller's org, for any member. With
 * {@code If-None-Match} naming the pack the client holds the answer is 304; adding
 * {@code Prefer: wait=N} (N up to 60) holds the request until the channel moves on or N seconds pass.
 * A held request costs no thread: it waits in {@link PolicyWatch}.
 *
 * <p>One instance serves every request; {@link dev.ccp.server.license.boundary.LicenseResource} says why.
 */
@ApplicationScoped
@Bearer
@Path("v1/policy")
public class PolicyResource {

    static final String JWT = LicenseResource.JWT;
    public static final int MAX_WAIT_SECONDS = 60;

    @Inject
    Tx tx;
    @Inject
    Tokens tokens;
    @Inject
    Members members;
    @Inject
    Policies policies;
    @Inject
    PolicyWatch watch;
    @Inject
    Clock clock;

    /** What the caller may see: the org's head key and its pack now, if any, read after {@code readAt}. */
    private record Seen(String key, PolicyWatch.Head head, long readAt) {
    }

    @GET
    @Path("{channel}")
    @Produces(JWT)
    public void pack(@Suspended AsyncResponse async, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("channel") String channel, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @HeaderParam("Prefer") String prefer) {
        try {
            Policies.channel(channel);
            long readAt = System.nanoTime();
            Seen seen = tx.call(em -> {
                Principal caller = tokens.authenticate(em, authorization, clock.instant());
                String orgId = members.memberOrg(em, caller).id();
                PolicyWatch.Head head = policies.current(em, orgId, channel, clock.instant())
                        .map(h -> new PolicyWatch.Head(h.id(), h.version(), h.etag(), h.pack())).orElse(null);
                return new Seen(PolicyHead.key(orgId, channel), head, readAt);
            });
            String held = EntityTags.matching(ifNoneMatch, seen.head() == null ? null : seen.head().etag());
            int wait = Requests.waitSeconds(prefer, MAX_WAIT_SECONDS);
            if (seen.head() != null && held == null) {
                async.resume(ok(seen.head()));
            } else if (wait == 0) {
                resumeUnchanged(async, seen.head() == null ? null : seen.head().etag(), channel);
            } else {
                hold(async, seen, wait, channel);
            }
        } catch (RuntimeException e) {
            async.resume(e);
        }
    }

    private void hold(AsyncResponse async, Seen seen, int wait, String channel) {
        String etag = seen.head() == null ? null : seen.head().etag();
        PolicyWatch.Waiter<PolicyWatch.Head> waiter = watch.await(seen.key(), etag, seen.readAt(), head -> {
            if (head == null) {
                resumeUnchanged(async, etag, channel);
            } else {
                async.resume(ok(head));
            }
        });
        async.setTimeoutHandler(timedOut -> {
            watch.cancel(waiter);
            resumeUnchanged(timedOut, etag, channel);
        });
        async.setTimeout(wait, TimeUnit.SECONDS);
    }

    /** 304 for the pack the client holds, or 404 problem while the channel has none. */
    private static void resumeUnchanged(AsyncResponse async, String etag, String channel) {
        if (etag == null) {
            async.resume(new ProblemException(404, "no-policy", "No policy published",
                    "nothing has been published to " + channel + " yet; an admin publishes with 'ccp policy publish --channel "
                            + channel + " FILE'"));
        } else {
            async.resume(Response.notModified(new EntityTag(etag)).build());
        }
    }

    private static Response ok(PolicyWatch.Head head) {
        // No Cache-Control here: as every answer to a bearer token, it is no-store (platform.NoStore);
        // clients keep the pack in their own verified cache and ask with If-None-Match.
        return Response.ok(head.pack(), JWT).tag(new EntityTag(head.etag())).build();
    }
}
