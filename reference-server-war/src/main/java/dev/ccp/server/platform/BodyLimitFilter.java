package dev.ccp.server.platform;

import dev.ccp.spi.wire.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies over 4 MiB: at once when the length is declared, and while reading when it
 * is not (chunked), before anything has been built from them.
 */
@Provider
@PreMatching
public class BodyLimitFilter implements ContainerRequestFilter {

    public static final long MAX_BYTES = 4L * 1024 * 1024;

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getLength() > MAX_BYTES) {
            request.abortWith(tooLarge());
        } else if (request.getLength() < 0 && request.hasEntity()) {
            request.setEntityStream(new Limited(request.getEntityStream()));
        }
    }

    static Response tooLarge() {
        return Response.status(413).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(413, "body-too-large", "Request body too large",
                        "a request body may have at most " + MAX_BYTES + " bytes; send smaller batches"))
                .build();
    }

    /** Stops reading past the limit. */
    private static final class Limited extends FilterInputStream {
        private long read;

        Limited(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > MAX_BYTES) {
                throw new WebApplicationException(tooLarge());
            }
        }
    }
}
