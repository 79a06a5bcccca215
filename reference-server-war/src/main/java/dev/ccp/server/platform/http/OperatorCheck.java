package dev.ccp.server.platform.http;

import dev.ccp.server.platform.ServerConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/** Guards {@link OperatorOnly} resources with {@link Requests#requireOperator}. */
@Provider
@ApplicationScoped
@OperatorOnly
@Priority(Priorities.AUTHENTICATION)
public class OperatorCheck implements ContainerRequestFilter {

    @Inject
    ServerConfig config;

    @Override
    public void filter(ContainerRequestContext request) {
        Requests.requireOperator(config, request.getHeaderString(HttpHeaders.AUTHORIZATION));
    }
}
