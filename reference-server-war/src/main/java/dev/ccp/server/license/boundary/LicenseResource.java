package dev.ccp.server.license.boundary;

import dev.ccp.server.identity.boundary.Bearer;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.license.control.LicenseService;
import dev.ccp.server.license.control.LicenseStatus;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.Requests;
import dev.ccp.spi.wire.LicenseStatusResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;

/**
 * The caller's license: the signed pack, and the server's current view of it.
 *
 * <p>One instance serves every request, as for the other hot paths (ingest, policy): building a
 * request-scoped resource for each request (Weld and the application server's injection) cost more
 * than answering license status itself. What belongs to a request comes in as a parameter.
 */
@ApplicationScoped
@Bearer
@Path("v1/license")
public class LicenseResource {

    public static final String JWT = "application/jwt";

    @Inject
    Tx tx;
    @Inject
    Tokens tokens;
    @Inject
    LicenseService licenses;
    @Inject
    LicenseStatus status;
    @Inject
    ServerConfig config;
    @Inject
    Clock clock;

    @GET
    @Produces(JWT)
    public Response pack(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String issuer = Requests.baseUrl(config, uri);
        String pack = tx.call(em -> {
            Principal caller = tokens.authenticate(em, authorization, clock.instant());
            return licenses.issuePack(em, caller, issuer, clock.instant());
        });
        CacheControl cache = new CacheControl();
        cache.setNoStore(true);
        return Response.ok(pack, JWT).cacheControl(cache).build();
    }

    @GET
    @Path("status")
    @Produces(MediaType.APPLICATION_JSON)
    public LicenseStatusResponse status(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String baseUrl = Requests.baseUrl(config, uri);
        return status.of(authorization, clock.instant(), baseUrl);
    }
}
