package dev.ccp.server.license.boundary;

import dev.ccp.server.license.control.LicenseService;
import dev.ccp.server.license.entity.LicenseEvent;
import dev.ccp.server.org.control.Accounts;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.OperatorOnly;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.spi.wire.OperatorGrantRequest;
import dev.ccp.spi.wire.OperatorGrantResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;

/** {@code POST /v1/operator/orgs/{org}/license}: the vendor's staff grant a plan by hand (trials, comps, support). */
@ApplicationScoped
@OperatorOnly
@Path("v1/operator/orgs/{org}/license")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class OperatorLicenseResource {

    @Inject
    Tx tx;
    @Inject
    LicenseService licenses;
    @Inject
    Clock clock;

    @POST
    public Response grant(@PathParam("org") String slug,
            OperatorGrantRequest request) {
        if (request == null || request.plan() == null) {
            throw ProblemException.badRequest("send a JSON body with at least 'plan'");
        }
        OperatorGrantResponse granted = tx.call(em -> {
            Org org = Accounts.orgBySlug(em, slug).orElseThrow(() -> ProblemException.notFound("no org '" + slug + "'"));
            LicenseEvent event = licenses.grant(em, org, request.plan(), request.seats(), request.expiresAt(), request.reason(),
                    "operator", clock.instant());
            return new OperatorGrantResponse(event.id(), org.slug(), event.plan(), licenses.allowance(org, clock.instant()).seats(),
                    event.expiresAt(), event.cause(), event.createdAt());
        });
        return Response.status(Response.Status.CREATED).entity(granted).build();
    }
}
