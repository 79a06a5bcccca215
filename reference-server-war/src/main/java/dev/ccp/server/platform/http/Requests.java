package dev.ccp.server.platform.http;

import dev.ccp.server.platform.Ids;
import dev.ccp.server.platform.ServerConfig;
import jakarta.ws.rs.core.UriInfo;

/** Small facts about the request at hand. */
public final class Requests {

    private Requests() {
    }

    /** The server's public base URL, ending in a slash: configured, else as this request reached it. */
    public static String baseUrl(ServerConfig config, UriInfo uri) {
        return config.publicUrl().orElseGet(() -> {
            String base = uri.getBaseUri().toString();
            return base.endsWith("/") ? base : base + "/";
        });
    }

    /**
     * Whether the person's browser talks to the server over https, so cookies must be {@code Secure}:
     * the public URL is https; or a proxy the operator vouches for ({@code CCP_TRUST_PROXY}) says
     * {@code X-Forwarded-Proto: https}; or this connection itself is TLS. Behind a TLS-terminating
     * proxy the last is never true, which is why the first two come first.
     */
    public static boolean secure(ServerConfig config, jakarta.servlet.http.HttpServletRequest request) {
        return config.publicHttps()
                || config.trustProxy() && "https".equalsIgnoreCase(String.valueOf(request.getHeader("X-Forwarded-Proto")).strip())
                || request.isSecure();
    }

    /**
     * The address of the client: the socket's peer, or, behind a load balancer that the operator
     * vouches for with {@code CCP_TRUST_PROXY=true}, the last {@code X-Forwarded-For} address, the
     * one that load balancer appended (the ones before it are whatever the client wrote).
     */
    public static String clientAddress(ServerConfig config, jakarta.servlet.http.HttpServletRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        if (config.trustProxy() && forwarded != null && !forwarded.isBlank()) {
            String[] hops = forwarded.split(",");
            String last = hops[hops.length - 1].strip();
            return last.length() > 64 ? last.substring(0, 64) : last;
        }
        return request.getRemoteAddr();
    }

    /**
     * Guards the vendor's operator endpoints: off (404) unless {@code CCP_OPERATOR_TOKEN} is set, and
     * the bearer token is compared in constant time.
     */
    public static void requireOperator(ServerConfig config, String authorization) {
        String expected = config.operatorToken().orElseThrow(() -> ProblemException.notFound("operator endpoints are off on this server"));
        String presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : null;
        if (!Ids.constantTimeEquals(expected, presented)) {
            throw ProblemException.unauthorized("operator endpoints need 'Authorization: Bearer <operator token>'");
        }
    }

    /** The {@code wait} preference of RFC 7240, at most {@code max}; 0 when absent or unreadable. */
    public static int waitSeconds(String prefer, int max) {
        if (prefer == null) {
            return 0;
        }
        for (String preference : prefer.split(",")) {
            String token = preference.split(";", 2)[0].strip();
            if (token.regionMatches(true, 0, "wait=", 0, 5)) {
                try {
                    return (int) Math.max(0, Math.min(max, Long.parseLong(token.substring(5).strip())));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }
}
