package dev.ccp.server.usage.boundary;

import dev.ccp.server.identity.boundary.Bearer;
import dev.ccp.server.license.control.Standings;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.platform.http.Requests;
import dev.ccp.server.usage.control.Ingest;
import dev.ccp.spi.wire.IngestResult;
import dev.ccp.spi.wire.RollupBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/ingest/rollups}: minimized usage rows from one seat. The org and seat come from the
 * access token and where its login stands ({@link Standings}); the batch is validated whole, stored
 * idempotently and committed before the answer.
 *
 * <p>One instance serves every request; {@link dev.ccp.server.license.boundary.LicenseResource} says why.
 */
@ApplicationScoped
@Bearer
@Path("v1/ingest/rollups")
public class IngestResource {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

    @Inject
    Ingest ingest;
    @Inject
    ServerConfig config;
    @Inject
    Clock clock;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public IngestResult ingest(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("Idempotency-Key") String idempotencyKey, RollupBatch batch) {
        Instant now = clock.instant();
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ProblemException.badRequest("Idempotency-Key must be 1 to 200 of [A-Za-z0-9._:-]");
        }
        return ingest.ingest(authorization, idempotencyKey, batch, Requests.baseUrl(config, uri), now);
    }
}
