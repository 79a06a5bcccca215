package dev.ccp.server.org.boundary;

import dev.ccp.server.identity.boundary.Bearer;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.SignInMethods;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.org.control.Members;
import dev.ccp.server.org.control.SingleSignOn;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.platform.http.Requests;
import dev.ccp.spi.wire.SsoSettings;
import dev.ccp.spi.wire.SsoView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
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

/**
 * {@code /v1/orgs/{org}/sso}: the org's own OpenID provider. Owners and admins read it (the secret
 * is never shown); owners set it up, change it and take it away.
 */
@ApplicationScoped
@Bearer
@Path("v1/orgs/{org}/sso")
@Produces(MediaType.APPLICATION_JSON)
public class SsoResource {

    @Inject
    Tx tx;
    @Inject
    Tokens tokens;
    @Inject
    Members members;
    @Inject
    SingleSignOn sso;
    @Inject
    ServerConfig config;
    @Inject
    Clock clock;

    @GET
    public SsoView get(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String slug) {
        return tx.call(em -> {
            Org org = members.managedOrg(em, tokens.authenticate(em, authorization, clock.instant()), slug);
            return sso.view(em, org, callback(uri)).orElseThrow(() -> ProblemException.notFound(org.slug() + " has no single sign-on set up"));
        });
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public SsoView put(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String slug, SsoSettings settings) {
        if (settings == null) {
            throw ProblemException.badRequest("send the provider as JSON: {\"issuer\": …, \"client_id\": …, \"client_secret\": …, \"domains\": [...]}");
        }
        return tx.call(em -> {
            Instant now = clock.instant();
            Principal caller = tokens.authenticate(em, authorization, now);
            return sso.configure(em, caller, members.managedOrg(em, caller, slug), settings, callback(uri), now);
        });
    }

    @DELETE
    public Response delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String slug) {
        tx.run(em -> {
            Instant now = clock.instant();
            Principal caller = tokens.authenticate(em, authorization, now);
            sso.remove(em, caller, members.managedOrg(em, caller, slug), now);
        });
        return Response.noContent().build();
    }

    private String callback(UriInfo uri) {
        return SignInMethods.ssoCallback(Requests.baseUrl(config, uri));
    }
}
