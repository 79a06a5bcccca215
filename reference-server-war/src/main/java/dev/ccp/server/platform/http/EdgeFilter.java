package dev.ccp.server.platform.http;

import dev.ccp.server.platform.ServerConfig;
import dev.ccp.spi.wire.Problem;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The first look at every request the application receives, before any resource: refuses what no
 * endpoint should have to think about, each with a problem+json answer (the OAuth error shape under
 * {@code /oauth/}, which OAuth clients expect), and marks every answer {@code nosniff}.
 *
 * <ul>
 * <li>{@code TRACE}: it would echo the request's headers (cookies, tokens) back.</li>
 * <li>A header that means one thing sent twice ({@code Authorization}, {@code Content-Type}, …):
 * the two parts of a stack may each read a different one.</li>
 * <li>A {@code Host} the server does not answer for: links and redirects are built from it when no
 * public URL is configured, so a forged one would send people elsewhere.</li>
 * <li>A NUL character in the query: no text the API takes contains one, and databases refuse it.</li>
 * <li>An address longer than {@link #MAX_URI} characters (the listener itself refuses those over
 * its header buffer, 32 KiB with the pre-boot settings, before the application sees them).</li>
 * </ul>
 */
@WebFilter(filterName = "edge", urlPatterns = "/*", asyncSupported = true)
public class EdgeFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    static final int MAX_URI = 4096;
    static final List<String> SINGLE_HEADERS = List.of("Authorization", "Content-Type", "Content-Length", "Host",
            "Idempotency-Key", "If-None-Match", "Prefer", "Stripe-Signature", "webhook-id", "webhook-timestamp",
            "webhook-signature", "X-Forwarded-Proto");

    @Inject
    transient ServerConfig config;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        Optional<Problem> refused = refusal(request);
        if (refused.isPresent()) {
            ErrorPage.write(request, response, refused.get(), "TRACE".equals(request.getMethod()) ? "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS" : null);
            return;
        }
        chain.doFilter(request, response);
    }

    private Optional<Problem> refusal(HttpServletRequest request) {
        if ("TRACE".equals(request.getMethod())) {
            return Optional.of(HttpProblems.of(405));
        }
        String query = request.getQueryString();
        if (request.getRequestURI().length() + (query == null ? 0 : query.length()) > MAX_URI) {
            return Optional.of(HttpProblems.of(414));
        }
        for (String name : SINGLE_HEADERS) {
            if (Collections.list(request.getHeaders(name)).size() > 1) {
                return Optional.of(Problem.of(400, "repeated-header", "Repeated header",
                        "the " + name + " header was sent more than once; send it once"));
            }
        }
        if (query != null && (query.indexOf('\0') >= 0 || query.toLowerCase(Locale.ROOT).contains("%00"))) {
            return Optional.of(BodyGuard.nul("the query"));
        }
        String host = request.getHeader("Host");
        if (host != null && !config.answersFor(host)) {
            return Optional.of(Problem.of(421, "unknown-host", "Misdirected request",
                    "this server does not answer for the host named in the request; its operator lists the names it "
                            + "answers for in CCP_PUBLIC_URL and CCP_ALLOWED_HOSTS"));
        }
        return Optional.empty();
    }
}
