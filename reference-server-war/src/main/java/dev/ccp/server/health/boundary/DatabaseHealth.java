package dev.ccp.server.health.boundary;

import dev.ccp.server.health.control.Checks;
import dev.ccp.server.platform.database.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The database check in the application server's own {@code /health/ready} (MicroProfile Health):
 * a node whose database does not answer is taken out of a load balancer's rotation, and the answer
 * names the check that failed.
 */
@Readiness
@ApplicationScoped
public class DatabaseHealth implements HealthCheck {

    @Inject
    Database database;

    @Override
    public HealthCheckResponse call() {
        Checks.Check check = new Checks(database).database();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(check.name()).status(check.up());
        check.data().forEach((key, value) -> response.withData(key, String.valueOf(value)));
        return response.build();
    }
}
