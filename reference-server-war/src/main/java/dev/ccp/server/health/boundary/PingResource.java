package dev.ccp.server.health.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /v1/ping}: the application answering, and nothing else: no database, no token. A
 * client can tell the server from a proxy in front of it; the benchmarks take it as the cost of an
 * empty request through this application's own JAX-RS stack, which {@code /health/live} is not on
 * a server that answers that path itself.
 */
@ApplicationScoped
@Path("v1/ping")
public class PingResource {

    @GET
    public Response ping() {
        return Response.noContent().build();
    }
}
