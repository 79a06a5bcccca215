package dev.ccp.server.org.boundary;

import dev.ccp.server.identity.boundary.Bearer;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.org.control.Members;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.spi.wire.AddMemberRequest;
import dev.ccp.spi.wire.Member;
import dev.ccp.spi.wire.RoleRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.List;

/**
 * {@code /v1/orgs/{org}/members}: owners and admins list, add and remove members, change their roles
 * and give or take their seats; any member may leave.
 */
@ApplicationScoped
@Bearer
@Path("v1/orgs/{org}/members")
@Produces(MediaType.APPLICATION_JSON)
public class MembersResource {

    @Inject
    Tx tx;
    @Inject
    Tokens tokens;
    @Inject
    Members members;
    @Inject
    Clock clock;

    @GET
    public List<Member> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String slug) {
        return tx.call(em -> members.list(em, members.managedOrg(em, tokens.authenticate(em, authorization, clock.instant()), slug)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String slug,
            AddMemberRequest request) {
        if (request == null || request.login() == null) {
            throw ProblemException.badRequest("send a JSON body with at least 'login' (an email address or a GitHub handle)");
        }
        Member added = tx.call(em -> {
            Principal caller = tokens.authenticate(em, authorization, clock.instant());
            Org org = members.managedOrg(em, caller, slug);
            return members.add(em, caller, org, request.login(), request.role(), request.seat() == null || request.seat(), clock.instant());
        });
        return Response.status(Response.Status.CREATED).entity(added).build();
    }

    /** Removes a member (owners and admins), or the caller leaves (anyone). */
    @DELETE
    @Path("{login}")
    public Response remove(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String slug,
            @PathParam("login") String login) {
        tx.run(em -> {
            Principal caller = tokens.authenticate(em, authorization, clock.instant());
            members.remove(em, caller, members.callersOrg(em, caller, slug), login, clock.instant());
        });
        return Response.noContent().build();
    }

    @PUT
    @Path("{login}/role")
    @Consumes(MediaType.APPLICATION_JSON)
    public Member role(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String slug,
            @PathParam("login") String login, RoleRequest request) {
        if (request == null || request.role() == null) {
            throw ProblemException.badRequest("send a JSON body {\"role\": \"owner\" | \"admin\" | \"member\"}");
        }
        return tx.call(em -> {
            Principal caller = tokens.authenticate(em, authorization, clock.instant());
            return members.changeRole(em, caller, members.managedOrg(em, caller, slug), login, request.role(), clock.instant());
        });
    }

    @PUT
    @Path("{login}/seat")
    public Member assignSeat(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String slug,
            @PathParam("login") String login) {
        return tx.call(em -> {
            Principal caller = tokens.authenticate(em, authorization, clock.instant());
            return members.assignSeat(em, caller, members.managedOrg(em, caller, slug), login, clock.instant());
        });
    }

    @DELETE
    @Path("{login}/seat")
    public Member unassignSeat(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String slug,
            @PathParam("login") String login) {
        return tx.call(em -> {
            Principal caller = tokens.authenticate(em, authorization, clock.instant());
            return members.unassignSeat(em, caller, members.managedOrg(em, caller, slug), login, clock.instant());
        });
    }
}
