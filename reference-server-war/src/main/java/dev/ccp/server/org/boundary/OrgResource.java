package dev.ccp.server.org.boundary;

import dev.ccp.server.identity.boundary.Bearer;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.org.control.Members;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.spi.wire.OrgSettings;
import dev.ccp.spi.wire.SeatsView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;

/** {@code /v1/orgs/{org}}: owners and admins change the org's settings ({@code PATCH}); any member sees its seats. */
@ApplicationScoped
@Bearer
@Path("v1/orgs/{org}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class OrgResource {

    @Inject
    Tx tx;
    @Inject
    Tokens tokens;
    @Inject
    Members members;
    @Inject
    Clock clock;

    @PATCH
    public OrgSettings update(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String slug,
            OrgSettings settings) {
        if (settings == null) {
            throw ProblemException.badRequest("send a JSON body such as {\"k_safety\": 7}");
        }
        return tx.call(em -> {
            Instant now = clock.instant();
            Principal caller = tokens.authenticate(em, authorization, now);
            Org org = members.changeSettings(em, caller, members.managedOrg(em, caller, slug), settings.kSafety(), now);
            return new OrgSettings(org.kSafety());
        });
    }

    /** How many seats the org's plan holds and how many are taken, for any member. */
    @GET
    @Path("seats")
    public SeatsView seats(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String slug) {
        return tx.call(em -> {
            Instant now = clock.instant();
            Principal caller = tokens.authenticate(em, authorization, now);
            return members.seats(em, members.callersOrg(em, caller, slug), now);
        });
    }
}
