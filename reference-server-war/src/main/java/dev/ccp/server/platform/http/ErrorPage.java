package dev.ccp.server.platform.http;

import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.OAuthError;
import dev.ccp.spi.wire.Problem;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The web container's error page (see {@code WEB-INF/web.xml}): whatever the container refuses
 * itself, before or around the application (a {@code /WEB-INF} path, a header it cannot parse, an
 * exception in a filter), is answered as problem+json like everything else, not as its HTML page.
 */
@WebServlet(name = "error-page", urlPatterns = ErrorPage.PATH)
public class ErrorPage extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String PATH = "/.error";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer c && c >= 400 ? c : 404;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        Problem problem = HttpProblems.of(status);
        write(request, response, new Problem(problem.type(), problem.title(), status, problem.detail(),
                uri instanceof String path ? path : request.getRequestURI(), null, null), null);
    }

    /**
     * Writes a refusal: problem+json, or under {@code /oauth/} the RFC 6749 §5.2 shape its clients
     * read. {@code allow} fills the {@code Allow} header of a 405.
     */
    static void write(HttpServletRequest request, HttpServletResponse response, Problem problem, String allow) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        drain(request, response);
        response.resetBuffer();
        response.setStatus(problem.status());
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (allow != null) {
            response.setHeader("Allow", allow);
        }
        Object body;
        if (oauth(request) && problem.status() < 500) {
            response.setContentType("application/json");
            body = new OAuthError(OAuthError.INVALID_REQUEST, problem.detail());
        } else {
            response.setContentType(Problem.MEDIA_TYPE);
            body = problem.instance() != null ? problem : new Problem(problem.type(), problem.title(), problem.status(),
                    problem.detail(), request.getRequestURI(), problem.upgradeUrl(), problem.errors());
        }
        byte[] bytes = Json.lenient().writeValueAsBytes(body);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /**
     * Reads what is left of the request's body before answering a refusal: a client still sending
     * (most do not read an answer before their body is out) would otherwise wait for the server to
     * read, and the server for the client. A body past {@link BodyGuard#MAX_BYTES} is not read; the
     * connection is closed after the answer instead.
     */
    private static void drain(HttpServletRequest request, HttpServletResponse response) {
        if (request.getContentLengthLong() == 0) {
            return;
        }
        if (request.getContentLengthLong() > BodyGuard.MAX_BYTES) {
            response.setHeader("Connection", "close");
            return;
        }
        try {
            java.io.InputStream body = request.getInputStream();
            byte[] buffer = new byte[8192];
            long read = 0;
            for (int n; (n = body.read(buffer)) >= 0 && read <= BodyGuard.MAX_BYTES;) {
                read += n;
            }
            if (read > BodyGuard.MAX_BYTES) {
                response.setHeader("Connection", "close");
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away, or the body was read as a reader: nothing left to wait for
            response.setHeader("Connection", "close");
        }
    }

    private static boolean oauth(HttpServletRequest request) {
        Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = original instanceof String p ? p : request.getRequestURI();
        String context = request.getContextPath() == null ? "" : request.getContextPath();
        return path != null && path.startsWith(context + "/oauth/");
    }
}
