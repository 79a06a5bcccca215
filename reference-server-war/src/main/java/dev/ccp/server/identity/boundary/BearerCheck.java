package dev.ccp.server.identity.boundary;

import dev.ccp.server.identity.control.Tokens;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.time.Clock;

/**
 * The first half of authentication for {@link Bearer} resources: the token's signature and expiry,
 * without the database. The resource does the second half in its transaction (is the login still
 * live, is the person still a member).
 */
@Provider
@ApplicationScoped
@Bearer
@Priority(Priorities.AUTHENTICATION)
public class BearerCheck implements ContainerRequestFilter {

    /** How a runner's token starts ({@code runs.control.Runners}). */
    public static final String RUNNER_PREFIX = "Bearer ccpr_";

    @Inject
    Tokens tokens;
    @Inject
    Clock clock;

    @Override
    public void filter(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, RUNNER_PREFIX, 0, RUNNER_PREFIX.length())) {
            return; // a runner's token is no JWT: the resources that take one look it up in their transaction
        }
        tokens.bearer(authorization, clock.instant());
    }
}
