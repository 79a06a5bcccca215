package dev.ccp.server.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ccp.spi.wire.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.lang.System.Logger.Level;

/**
 * Every error leaves the server as RFC 9457 problem+json: a client's mistake is a 4xx that says what
 * to fix, and anything unexpected is a 500 that says nothing about the inside (it is logged here).
 */
public final class ProblemMappers {

    private static final System.Logger LOG = System.getLogger(ProblemMappers.class.getName());

    private ProblemMappers() {
    }

    static Response answer(Problem problem, UriInfo uri) {
        Problem withInstance = uri == null || problem.instance() != null ? problem
                : new Problem(problem.type(), problem.title(), problem.status(), problem.detail(),
                        "/" + uri.getPath().replaceFirst("^/", ""), problem.upgradeUrl(), problem.errors());
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(withInstance).build();
    }

    @Provider
    public static class Problems implements ExceptionMapper<ProblemException> {
        @Context
        UriInfo uri;

        @Override
        public Response toResponse(ProblemException e) {
            Response.ResponseBuilder answer = Response.fromResponse(answer(e.problem(), uri));
            e.headers().forEach(answer::header);
            return answer.build();
        }
    }

    @Provider
    public static class BadJson implements ExceptionMapper<JsonProcessingException> {
        @Context
        UriInfo uri;

        @Override
        public Response toResponse(JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            if (e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping && !mapping.getPath().isEmpty()) {
                where = " at " + path(mapping.getPath()) + where;
            }
            return answer(Problem.of(400, "bad-json", "Malformed request body",
                    "the request body is not what this endpoint takes: " + reason(e) + where), uri);
        }
    }

    /** What was wrong, without the server's class names. */
    static String reason(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException unknown) {
            return "unknown field \"" + unknown.getPropertyName() + "\"";
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException format) {
            return "value " + format.getValue() + " is not a valid " + format.getTargetType().getSimpleName().toLowerCase(java.util.Locale.ROOT);
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.ValueInstantiationException invalid && invalid.getCause() != null) {
            return invalid.getCause().getMessage();
        }
        String message = e.getOriginalMessage() == null ? "malformed JSON" : e.getOriginalMessage();
        return message.replaceAll("\\s*\\([^)]*\\b(class|type)\\b[^)]*\\)", "").replaceAll("`[a-z]+(\\.[a-zA-Z$]+)+`", "value");
    }

    /** A JSON path people can read, such as {@code rows[3].model}. */
    static String path(java.util.List<com.fasterxml.jackson.databind.JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (var ref : references) {
            if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            }
        }
        return path.toString();
    }

    @Provider
    public static class Http implements ExceptionMapper<WebApplicationException> {
        @Context
        UriInfo uri;

        @Override
        public Response toResponse(WebApplicationException e) {
            Response original = e.getResponse();
            int status = original.getStatus();
            if (status >= 500) {
                LOG.log(Level.ERROR, "request failed", e);
            }
            Response.StatusType type = original.getStatusInfo();
            String slug = type.getReasonPhrase() == null ? "http-" + status : type.getReasonPhrase().toLowerCase().replace(' ', '-');
            String detail = switch (status) {
                case 404 -> "there is nothing at this address";
                case 405 -> "this address does not take that method";
                case 406 -> "this address cannot answer in the media type asked for";
                case 415 -> "this address does not take a body of that media type";
                default -> type.getReasonPhrase();
            };
            Response.ResponseBuilder answer = Response.fromResponse(answer(Problem.of(status, slug, type.getReasonPhrase(), detail), uri));
            return answer.build();
        }
    }

    @Provider
    public static class Unexpected implements ExceptionMapper<Throwable> {
        @Context
        UriInfo uri;

        @Override
        public Response toResponse(Throwable e) {
            LOG.log(Level.ERROR, "unexpected error", e);
            return answer(Problem.of(500, "internal-error", "Internal error",
                    "the server failed to answer this request; it has been logged"), uri);
        }
    }
}
