package dev.ccp.server.platform.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.ccp.server.platform.database.Database;
import dev.ccp.spi.wire.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every error leaves the server as RFC 9457 problem+json: a client's mistake is a 4xx that says what
 * to fix in the API's own words, a database that cannot be reached is a 503 to retry, and anything
 * unexpected is a 500 that says nothing about the inside (it is logged here).
 */
public final class ProblemMappers {

    private static final System.Logger LOG = System.getLogger(ProblemMappers.class.getName());
    /** What {@code Retry-After} says while the database cannot be reached. */
    static final int DATABASE_RETRY_SECONDS = 5;

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
            if (e.problem().status() == 401 && "unauthorized".equals(e.problem().slug()) && !e.headers().containsKey("WWW-Authenticate")) {
                // RFC 6750 §3 (and RFC 9110 §11.6.1): a 401 names the scheme it wants.
                answer.header("WWW-Authenticate", "Bearer realm=\"ccp\"");
            }
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
            if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
                where = " at " + path(mapping.getPath()) + where;
            }
            return answer(Problem.of(400, "bad-json", "Malformed request body",
                    "the request body is not what this endpoint takes: " + reason(e) + where), uri);
        }
    }

    /** What was wrong, in the API's words: JSON types and field names, never the server's classes. */
    static String reason(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return "unknown field \"" + unknown.getPropertyName() + "\"" + (known.isEmpty() ? "" : " (this object takes " + known + ")");
        }
        if (e instanceof ValueInstantiationException invalid && invalid.getCause() != null) {
            return invalid.getCause().getMessage();
        }
        if (e instanceof StreamConstraintsException) {
            return "the document is nested too deeply or holds a value that is too long";
        }
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (original.startsWith("Trailing token")) {
            return "there is more after the JSON value; send exactly one";
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return original.startsWith("No content") ? "the body is empty; send a JSON document"
                    : "expected " + expected(mismatch.getTargetType());
        }
        return withoutTypeNames(original.isEmpty() ? "malformed JSON" : original);
    }

    /** A Java type as the JSON value it is read from. */
    static String expected(Class<?> type) {
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type == int.class || type == long.class || type == short.class || type == Integer.class || type == Long.class
                || type == Short.class || type == java.math.BigInteger.class) {
            return "a whole number";
        }
        if (type.isPrimitive() && type != boolean.class || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "a time such as \"2026-11-26T10:00:00Z\"";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> "\"" + c.toString().toLowerCase(java.util.Locale.ROOT) + "\"").collect(Collectors.joining(", "));
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    /** Removes qualified Java names ({@code java.util.List<dev.ccp…>}) from a library's message. */
    static String withoutTypeNames(String message) {
        return message.replaceAll("\\s*\\([^)]*\\b(class|type)\\b[^)]*\\)", "")
                .replaceAll("`?\\b[a-z][a-z0-9_]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)+(<[^>`]*>)?`?", "value");
    }

    /** A JSON path people can read, such as {@code rows[3].model}. */
    static String path(List<JsonMappingException.Reference> references) {
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
            if (Problem.MEDIA_TYPE.equals(String.valueOf(original.getMediaType()))) {
                return original;
            }
            Response.ResponseBuilder answer = Response.fromResponse(answer(HttpProblems.of(status), uri));
            return answer.build();
        }
    }

    @Provider
    public static class Unexpected implements ExceptionMapper<Throwable> {
        @Context
        UriInfo uri;

        @Override
        public Response toResponse(Throwable e) {
            return switch (Database.trouble(e)) {
                case UNAVAILABLE -> {
                    LOG.log(Level.WARNING, "the database cannot be reached: " + e.getMessage());
                    yield Response.fromResponse(answer(databaseUnavailable(), uri))
                            .header("Retry-After", Integer.toString(DATABASE_RETRY_SECONDS)).build();
                }
                case CONFLICT -> answer(Problem.of(409, "concurrent-change", "Changed at the same time",
                        "another request changed the same data at the same moment; send this request again"), uri);
                case OTHER -> {
                    LOG.log(Level.ERROR, "unexpected error", e);
                    yield answer(Problem.of(500, "internal-error", "Internal error",
                            "the server failed to answer this request; it has been logged"), uri);
                }
            };
        }
    }

    static Problem databaseUnavailable() {
        return Problem.of(503, "database-unavailable", "Temporarily unavailable",
                "the server cannot reach its database right now; try again in a few seconds");
    }
}
