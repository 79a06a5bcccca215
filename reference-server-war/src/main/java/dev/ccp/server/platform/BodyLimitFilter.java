package dev.ccp.server.platform;

import dev.ccp.spi.wire.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/** Refuses request bodies over 4 MiB before anything reads them. */
@Provider
@PreMatching
public class BodyLimitFilter implements ContainerRequestFilter {

    public static final long MAX_BYTES = 4L * 1024 * 1024;

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getLength() > MAX_BYTES) {
            request.abortWith(Response.status(413).type(Problem.MEDIA_TYPE)
                    .entity(Problem.of(413, "body-too-large", "Request body too large",
                            "a request body may have at most " + MAX_BYTES + " bytes; send smaller batches"))
                    .build());
        }
    }
}
