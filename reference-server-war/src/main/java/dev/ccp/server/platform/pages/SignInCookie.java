package dev.ccp.server.platform.pages;

import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.http.Requests;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.NewCookie;

/**
 * Ties a sign-in through an identity provider to the browser that began it: the OAuth
 * {@code state} also goes into this cookie, and the provider's callback and the page that finishes
 * the sign-in accept only a state the browser brings, so nobody can have another person's browser
 * finish a sign-in they began (login CSRF). {@code SameSite=Lax}: the provider's redirect back is a
 * top-level navigation from another site, which carries it.
 */
public final class SignInCookie {

    public static final String NAME = "ccp_signin";

    private SignInCookie() {
    }

    public static NewCookie set(String state, ServerConfig config, HttpServletRequest request) {
        return new NewCookie.Builder(NAME).value(state).path(Csrf.contextPath(request)).httpOnly(true)
                .secure(Requests.secure(config, request)).sameSite(NewCookie.SameSite.LAX).maxAge(600).build();
    }

    public static NewCookie clear(HttpServletRequest request) {
        return new NewCookie.Builder(NAME).value("").path(Csrf.contextPath(request)).maxAge(0).build();
    }
}
