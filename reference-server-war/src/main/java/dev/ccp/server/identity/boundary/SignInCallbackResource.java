package dev.ccp.server.identity.boundary;

import dev.ccp.server.identity.control.Identity;
import dev.ccp.server.identity.control.Memberships;
import dev.ccp.server.identity.control.SignInAttempts;
import dev.ccp.server.identity.control.SignInMethods;
import dev.ccp.server.identity.control.SignInRefused;
import dev.ccp.server.identity.control.SsoDirectory;
import dev.ccp.server.platform.Ids;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.Requests;
import dev.ccp.server.platform.pages.Csrf;
import dev.ccp.server.platform.pages.Pages;
import dev.ccp.server.platform.pages.SignInCookie;
import dev.ccp.server.platform.pages.Templates;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code /login/github/callback} and {@code /login/oidc/callback}: where GitHub, or an org's own
 * OpenID provider, sends a person back. The {@code state} must be the one this browser was given
 * when the sign-in began and name a sign-in still waiting for that provider; the code is exchanged
 * once; then the page the sign-in began on finishes it ({@code /login/finish}, {@code /device/finish},
 * {@code /invite/finish}) with who the provider vouched for.
 */
@RequestScoped
@Path("login/{provider}/callback")
public class SignInCallbackResource {

    @Inject
    Tx tx;
    @Inject
    SignInMethods methods;
    @Inject
    Templates templates;
    @Inject
    ServerConfig config;
    @Inject
    Clock clock;
    @Context
    UriInfo uri;
    @Context
    HttpServletRequest request;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response back(@PathParam("provider") String provider, @QueryParam("code") String code, @QueryParam("state") String state,
            @QueryParam("error") String error, @CookieParam(SignInCookie.NAME) String cookie) {
        boolean oidc = Memberships.OIDC.equals(provider);
        if (!oidc && !(Memberships.GITHUB.equals(provider) && methods.github().isPresent())) {
            return failed(404, Memberships.GITHUB.equals(provider) ? "GitHub sign-in is not set up on this server." : "There is no such sign-in here.", "login");
        }
        Instant now = clock.instant();
        if (state == null || !Ids.constantTimeEquals(cookie, state)) {
            return failed(400, "This sign-in did not begin in this browser, or it is over. Start again from the page you came from.", "login");
        }
        record Waiting(SignInAttempts.Attempt attempt, SsoDirectory.Connection connection) {
        }
        Waiting waiting = tx.call(em -> SignInAttempts.waiting(em, state, now).filter(a -> a.provider().equals(provider))
                .map(a -> new Waiting(a, oidc ? methods.ssoOf(em, a).orElse(null) : null))).orElse(null);
        if (waiting == null || (oidc && waiting.connection() == null)) {
            return failed(400, "This sign-in expired or was finished already. Start again.", "login");
        }
        String again = again(waiting.attempt());
        if (error != null || code == null || code.isBlank() || code.length() > 2000) {
            return failed(400, "access_denied".equals(error) ? "You did not let " + (oidc ? "your company's provider" : "GitHub")
                    + " tell this server who you are, so you are not signed in."
                    : (oidc ? "Your company's provider" : "GitHub") + " sent you back without a sign-in code. Start again.", again);
        }
        String base = Requests.baseUrl(config, uri);
        Identity identity;
        try {
            identity = oidc ? methods.identifySso(waiting.connection(), waiting.attempt(), code, base)
                    : methods.github().orElseThrow().identify(code, waiting.attempt().verifier(), SignInMethods.callback(base));
        } catch (SignInRefused e) {
            return failed(oidc ? 400 : 502, e.getMessage(), again);
        }
        if (!tx.call(em -> SignInAttempts.vouched(em, state, identity, now))) {
            return failed(400, "This sign-in was finished already. Start again.", again);
        }
        String finish = switch (waiting.attempt().purpose()) {
            case "device" -> "device/finish";
            case "invite" -> "invite/finish";
            default -> "login/finish";
        };
        return Response.seeOther(URI.create(root() + finish)).build();
    }

    /** The page to start again from; for an invite, the sign-in page (the link is the person's to open again). */
    private static String again(SignInAttempts.Attempt attempt) {
        return "device".equals(attempt.purpose()) ? "device" : "login";
    }

    private String root() {
        return Csrf.path(request, "/");
    }

    private Response failed(int status, String message, String again) {
        Map<String, Object> page = new HashMap<>();
        page.put("title", "Sign-in failed");
        page.put("error", message);
        page.put("again", root() + again);
        return Pages.html(status, templates.render("signin-failed", page)).cookie(SignInCookie.clear(request)).build();
    }
}
