package dev.ccp.server.platform.pages;

import dev.ccp.server.platform.ServerConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * The step from a form to an identity provider whose address is known only once the form is read
 * (an org's own provider): browsers apply {@code form-action} to the redirect a post answers with,
 * and that provider cannot be listed ahead, so the answer is a page that goes on by itself (a meta
 * refresh, no script) and has a link for a browser that does not.
 */
public final class ProviderHop {

    private ProviderHop() {
    }

    /** The page that goes on to {@code to}, setting the sign-in cookie for {@code state}. */
    public static Response to(URI to, String state, Templates templates, ServerConfig config, HttpServletRequest request) {
        Map<String, Object> page = new HashMap<>();
        page.put("title", "Continue to sign in");
        page.put("refreshTo", to.toString());
        page.put("host", to.getHost());
        return Pages.html(200, templates.render("signin-hop", page)).cookie(SignInCookie.set(state, config, request)).build();
    }
}
