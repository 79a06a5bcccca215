package dev.ccp.server.platform.pages;

import dev.ccp.server.platform.Ids;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.http.Requests;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.NewCookie;

/**
 * CSRF protection for the server's HTML forms by double submit: a random token goes into a
 * {@code SameSite=Strict}, HttpOnly cookie and into the form; a post must bring both, equal.
 */
public final class Csrf {

    public static final String COOKIE = "ccp_csrf";

    private Csrf() {
    }

    public static String newToken() {
        return Ids.secret();
    }

    public static NewCookie cookie(String token, ServerConfig config, HttpServletRequest request) {
        return new NewCookie.Builder(COOKIE).value(token).path(contextPath(request))
                .httpOnly(true).secure(Requests.secure(config, request)).sameSite(NewCookie.SameSite.STRICT).maxAge(3600).build();
    }

    /** Both halves present, not blank, and equal: an empty cookie and an empty field prove nothing. */
    public static boolean valid(String cookie, String field) {
        return cookie != null && !cookie.isBlank() && Ids.constantTimeEquals(cookie, field);
    }

    /** A path of this application, such as {@code /login}, under whatever path it is deployed at. */
    public static String path(HttpServletRequest request, String path) {
        return contextPath(request).replaceFirst("/$", "") + path;
    }

    /** The application's root path, so one cookie serves every page of it. */
    public static String contextPath(HttpServletRequest request) {
        String path = request.getContextPath();
        return path == null || path.isEmpty() ? "/" : path;
    }
}
