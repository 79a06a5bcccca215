package dev.ccp.server.platform.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Every answer to a request that carried credentials is {@code Cache-Control: no-store}: it is one
 * person's view (their license, their org, their policy), and no shared cache on the way, nor the
 * browser's disk, should keep it. Clients that want to avoid a download use their own verified copy
 * and {@code If-None-Match}.
 */
@Provider
public class NoStore implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getHeaderString(HttpHeaders.AUTHORIZATION) != null) {
            response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
        }
    }
}
