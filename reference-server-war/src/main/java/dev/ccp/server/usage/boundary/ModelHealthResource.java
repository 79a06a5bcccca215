package dev.ccp.server.usage.boundary;

import dev.ccp.server.identity.boundary.Bearer;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.license.control.LicenseService;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.platform.http.Requests;
import dev.ccp.server.usage.control.HealthCsv;
import dev.ccp.server.usage.control.HealthWindow;
import dev.ccp.server.usage.control.ModelHealth;
import dev.ccp.spi.wire.ModelHealthResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Instant;

/**
 * {@code GET /v1/health/models?window=24h|7d}: model health for the caller's org as JSON, or as CSV
 * with {@code Accept: text/csv} or {@code ?format=csv}.
 */
@ApplicationScoped
@Bearer
@Path("v1/health/models")
public class ModelHealthResource {

    public static final String CSV = "text/csv";

    @Inject
    Tx tx;
    @Inject
    Tokens tokens;
    @Inject
    LicenseService licenses;
    @Inject
    ModelHealth health;
    @Inject
    ServerConfig config;
    @Inject
    Clock clock;

    @GET
    @Produces({MediaType.APPLICATION_JSON, CSV})
    public Response models(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @HeaderParam(HttpHeaders.ACCEPT) String accept,
            @QueryParam("window") String window, @QueryParam("format") String format) {
        boolean csv = format != null ? csvFormat(format) : accept != null && accept.contains(CSV) && !accept.contains(MediaType.APPLICATION_JSON);
        HealthWindow parsed = HealthAccess.window(window);
        Instant now = clock.instant();
        ModelHealthResponse answer = tx.call(em -> HealthAccess.health(em, tokens.authenticate(em, authorization, now), licenses,
                health, parsed, Requests.baseUrl(config, uri), now));
        return csv ? csv(answer) : Response.ok(answer, MediaType.APPLICATION_JSON).build();
    }

    static Response csv(ModelHealthResponse answer) {
        return Response.ok(HealthCsv.render(answer), CSV + "; charset=utf-8; header=present").header("Cache-Control", "no-store")
                .header("Content-Disposition", "attachment; filename=\"model-health-" + answer.org() + "-" + answer.window() + ".csv\"")
                .build();
    }

    private static boolean csvFormat(String format) {
        return switch (format) {
            case "csv" -> true;
            case "json" -> false;
            default -> throw ProblemException.badRequest("format must be json or csv, was '" + format + "'");
        };
    }
}
