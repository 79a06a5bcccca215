package dev.ccp.server.health.boundary;

import dev.ccp.server.health.control.Checks;
import dev.ccp.server.platform.database.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * {@code /health/ready} and {@code /health/live} in the MicroProfile Health format, for a Jakarta EE
 * server without MicroProfile Health. Where the server has it (Payara), its own endpoint answers
 * these paths and runs {@link DatabaseHealth} instead; both report {@link Checks}.
 */
@ApplicationScoped
@Path("health")
@Produces(MediaType.APPLICATION_JSON)
public class ReadinessResource {

    @Inject
    Database database;

    @GET
    @Path("ready")
    public Response ready() {
        List<Checks.Check> checks = new Checks(database).readiness();
        boolean up = checks.stream().allMatch(Checks.Check::up);
        List<Map<String, Object>> shown = checks.stream()
                .map(c -> Map.of("name", c.name(), "status", c.up() ? "UP" : "DOWN", "data", (Object) c.data())).toList();
        return Response.status(up ? 200 : 503).entity(Map.of("status", up ? "UP" : "DOWN", "checks", shown)).build();
    }

    @GET
    @Path("live")
    public Map<String, Object> live() {
        return Map.of("status", "UP", "checks", List.of());
    }
}
