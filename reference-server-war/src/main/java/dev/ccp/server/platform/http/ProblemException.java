package dev.ccp.server.platform.http;

import dev.ccp.spi.wire.Problem;
import java.util.Map;

/** A refusal the client caused or can act on; becomes an RFC 9457 answer with its status. */
public class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Problem problem;
    private final transient Map<String, String> headers;

    public ProblemException(Problem problem) {
        this(problem, Map.of());
    }

    /** A refusal that also sets response headers, such as {@code Retry-After}. */
    public ProblemException(Problem problem, Map<String, String> headers) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.headers = Map.copyOf(headers);
    }

    public ProblemException(int status, String slug, String title, String detail) {
        this(Problem.of(status, slug, title, detail));
    }

    public Problem problem() {
        return problem;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static ProblemException tooManyRequests(String detail, java.time.Duration retryAfter) {
        long seconds = Math.max(1, retryAfter.toSeconds());
        return new ProblemException(Problem.of(429, "rate-limited", "Too many requests", detail),
                Map.of("Retry-After", Long.toString(seconds)));
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "bad-request", "Bad request", detail);
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "unauthorized", "Not signed in", detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "Not permitted", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "not-found", "Not found", detail);
    }

    public static ProblemException conflict(String slug, String title, String detail) {
        return new ProblemException(409, slug, title, detail);
    }
}
