package dev.ccp.server.github.boundary;

import dev.ccp.server.github.control.GitHubInstallations;
import dev.ccp.server.identity.boundary.Bearer;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.identity.control.Users;
import dev.ccp.server.org.control.Members;
import dev.ccp.server.platform.database.Tx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.util.List;

/**
 * {@code /v1/orgs/{org}/github/installations}: the GitHub App installations an org's owners and
 * admins connected, connecting one (the server asks GitHub, as the app, that it exists), and
 * disconnecting one.
 */
@ApplicationScoped
@Bearer
@Path("v1/orgs/{org}/github/installations")
@Produces(MediaType.APPLICATION_JSON)
public class GitHubInstallationsResource {

    @Inject
    Tx tx;
    @Inject
    GitHubInstallations installations;
    @Inject
    Tokens tokens;
    @Inject
    Members members;
    @Inject
    Clock clock;

    @GET
    public List<GitHubInstallations.View> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String slug) {
        return tx.call(em -> installations.list(em, members.managedOrg(em, tokens.authenticate(em, authorization, clock.instant()), slug)));
    }

    @POST
    @Path("{id: [0-9]{1,18}}")
    public GitHubInstallations.View connect(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String slug,
            @PathParam("id") long id) {
        Principal caller = tx.call(em -> {
            Principal who = tokens.authenticate(em, authorization, clock.instant());
            members.managedOrg(em, who, slug);
            return who;
        });
        String account = installations.account(id, tx.call(em -> Users.of(em, caller).github()));
        return tx.call(em -> installations.connect(em, caller, members.managedOrg(em, caller, slug), id, account, clock.instant()));
    }

    @DELETE
    @Path("{id: [0-9]{1,18}}")
    public void disconnect(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String slug, @PathParam("id") long id) {
        tx.run(em -> {
            Principal caller = tokens.authenticate(em, authorization, clock.instant());
            installations.disconnect(em, caller, members.managedOrg(em, caller, slug), id, clock.instant());
        });
    }
}
