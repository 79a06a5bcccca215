package dev.ccp.server.health.boundary;

import dev.ccp.server.platform.Database;
import dev.ccp.server.platform.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** {@code GET /health/ready}: 200 once the database answers, so a load balancer may send traffic. */
@RequestScoped
@Path("health")
public class ReadinessResource {

    @Inject
    Database database;

    @GET
    @Path("ready")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> ready() {
        if (!database.isUp()) {
            throw new ProblemException(503, "not-ready", "Not ready", "the database does not answer");
        }
        return Map.of("status", "UP");
    }

    @GET
    @Path("live")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> live() {
        return Map.of("status", "UP");
    }
}
