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

    @Inject
    Tokens tokens;
    @Inject
    Clock clock;

    @Override
    public void filter(ContainerRequestContext request) {
        tokens.bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION), clock.instant());
    }
}
