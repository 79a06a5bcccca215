package dev.ccp.server.platform.http;

import dev.ccp.spi.wire.Problem;
import jakarta.ws.rs.core.Response;
import java.util.Locale;

/**
 * The problem for an HTTP status that the protocol layer decided rather than the application: no
 * such address, a method it does not take, a media type it cannot read. One wording for the JAX-RS
 * mappers and the servlet error page, so a client sees the same answer whichever layer refused.
 */
public final class HttpProblems {

    private HttpProblems() {
    }

    public static Problem of(int status) {
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "HTTP " + status : type.getReasonPhrase();
        String slug = switch (status) {
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "body-too-large";
            case 414 -> "uri-too-long";
            case 415 -> "unsupported-media-type";
            default -> type == null ? "http-" + status : title.toLowerCase(Locale.ROOT).replace(' ', '-');
        };
        String detail = switch (status) {
            case 400 -> "the request is malformed: check its address, headers and body";
            case 404 -> "there is nothing at this address";
            case 405 -> "this address does not take that method";
            case 406 -> "this address cannot answer in the media type asked for";
            case 413 -> "the request body is too large";
            case 414 -> "the address is too long";
            case 415 -> "this address does not take a body of that media type";
            default -> status >= 500 ? "the server failed to answer this request; it has been logged" : title;
        };
        return Problem.of(status, status >= 500 && status != 503 ? "internal-error" : slug, title, detail);
    }
}
