package dev.ccp.server.org.boundary;

import dev.ccp.server.identity.boundary.Bearer;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.org.control.Invites;
import dev.ccp.server.org.control.Members;
import dev.ccp.server.org.entity.Invite;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.Requests;
import dev.ccp.spi.wire.InviteRequest;
import dev.ccp.spi.wire.InviteView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * {@code /v1/orgs/{org}/invites}: owners and admins invite people by email or GitHub handle, or make
 * single-use links; list, revoke and send invites again.
 */
@ApplicationScoped
@Bearer
@Path("v1/orgs/{org}/invites")
@Produces(MediaType.APPLICATION_JSON)
public class InvitesResource {

    @Inject
    Tx tx;
    @Inject
    Tokens tokens;
    @Inject
    Members members;
    @Inject
    Invites invites;
    @Inject
    ServerConfig config;
    @Inject
    Clock clock;

    @GET
    public List<InviteView> list(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String slug) {
        return tx.call(em -> {
            Instant now = clock.instant();
            Org org = members.managedOrg(em, tokens.authenticate(em, authorization, now), slug);
            return invites.list(em, org).stream().map(i -> view(uri, i, null, now)).toList();
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String slug,
            InviteRequest request) {
        InviteRequest r = request != null ? request : new InviteRequest(null, null, null, null);
        InviteView made = tx.call(em -> {
            Instant now = clock.instant();
            Principal caller = tokens.authenticate(em, authorization, now);
            Org org = members.managedOrg(em, caller, slug);
            Invites.Issued issued = invites.create(em, caller, org, r.login(), r.role(), r.seat() == null || r.seat(), r.expiresInDays(), now);
            return view(uri, issued.invite(), issued.token(), now);
        });
        return Response.status(Response.Status.CREATED).entity(made).build();
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String slug,
            @PathParam("id") String id) {
        tx.run(em -> {
            Instant now = clock.instant();
            Principal caller = tokens.authenticate(em, authorization, now);
            invites.revoke(em, caller, members.managedOrg(em, caller, slug), id, now);
        });
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/resend")
    public InviteView resend(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String slug,
            @PathParam("id") String id) {
        return tx.call(em -> {
            Instant now = clock.instant();
            Principal caller = tokens.authenticate(em, authorization, now);
            Invites.Issued issued = invites.resend(em, caller, members.managedOrg(em, caller, slug), id, now);
            return view(uri, issued.invite(), issued.token(), now);
        });
    }

    private InviteView view(UriInfo uri, Invite invite, String token, Instant now) {
        String url = token == null ? null : Requests.baseUrl(config, uri) + "invite/" + token;
        return new InviteView(invite.id(), invite.link() ? "link" : "login", invite.login(), invite.role().wire(), invite.seat(),
                invite.state(now).wire(), invite.createdAt(), invite.expiresAt(), url);
    }
}
