package dev.ccp.server.web.boundary;

import dev.ccp.server.identity.control.Identity;
import dev.ccp.server.identity.control.Memberships;
import dev.ccp.server.identity.control.SignInAttempts;
import dev.ccp.server.identity.control.SignInMethods;
import dev.ccp.server.identity.control.SignInRefused;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.Requests;
import dev.ccp.server.platform.pages.Csrf;
import dev.ccp.server.platform.pages.Pages;
import dev.ccp.server.platform.pages.ProviderHop;
import dev.ccp.server.platform.pages.SignInCookie;
import dev.ccp.server.platform.pages.SignInLimit;
import dev.ccp.server.platform.pages.Templates;
import dev.ccp.server.web.control.WebSessions;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /login} and {@code /logout} for the server's pages: the same identity provider as the
 * device flow decides who the person is, and a session cookie holds the sign-in for one org.
 */
@RequestScoped
@Path("")
public class SignInResource {

    @Inject
    Tx tx;
    @Inject
    SignInMethods methods;
    @Inject
    Templates templates;
    @Inject
    Clock clock;
    @Inject
    ServerConfig config;
    @Inject
    Memberships memberships;
    @Inject
    SignInLimit limit;
    @Context
    HttpServletRequest request;
    @Context
    UriInfo uri;

    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public Response form(@QueryParam("next") String next) {
        Map<String, Object> page = page();
        page.put("next", safeNext(next));
        return form(200, page);
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response signIn(MultivaluedMap<String, String> form, @CookieParam(Csrf.COOKIE) String csrfCookie) {
        Map<String, String> fields = Pages.fields(form);
        Map<String, Object> page = page();
        page.put("login", fields.getOrDefault("login", ""));
        page.put("org", fields.getOrDefault("org", ""));
        String next = safeNext(fields.get("next"));
        page.put("next", next);
        if (!Csrf.valid(csrfCookie, fields.get("csrf"))) {
            return error(403, page, "This form expired or did not come from this site. Please try again.");
        }
        String method = fields.get("method");
        boolean github = "github".equals(method) && methods.github().isPresent();
        boolean sso = "sso".equals(method);
        page.put("ssoEmail", fields.getOrDefault("sso_email", ""));
        Identity identity = null;
        if (!github && !sso) {
            try {
                identity = methods.typed(fields);
            } catch (IllegalArgumentException e) {
                return error(400, page, e.getMessage());
            }
        }
        String orgSlug = fields.get("org") == null || fields.get("org").isBlank() ? null : fields.get("org").strip();
        Map<String, Object> resume = new HashMap<>();
        resume.put("org", orgSlug == null ? "" : orgSlug);
        resume.put("next", next);
        Identity typed = identity;
        String base = Requests.baseUrl(config, uri);
        Object outcome = tx.call(em -> {
            Optional<Duration> wait = limit.exceeded(em, request);
            if (wait.isPresent()) {
                page.put("error", "Too many sign-ins from your address; wait a minute and try again.");
                return Pages.html(429, templates.render("login", page)).header("Retry-After", wait.get().toSeconds()).build();
            }
            if (sso) {
                try {
                    return methods.startSso(em, fields.get("sso_email"), "web", resume, clock.instant());
                } catch (IllegalArgumentException e) {
                    return error(400, page, e.getMessage());
                }
            }
            if (typed == null) {
                SignInMethods.Redirect redirect = methods.startGitHub(em, "web", resume, base, clock.instant());
                return Response.seeOther(redirect.to()).cookie(SignInCookie.set(redirect.state(), config, request)).build();
            }
            Optional<SignInMethods.SsoStart> routed = methods.routeTyped(em, typed, "web", resume, clock.instant());
            if (routed.isPresent()) {
                return routed.get();
            }
            return complete(em, typed, Memberships.STAND_IN, orgSlug, next, page);
        });
        if (outcome instanceof SignInMethods.SsoStart start) {
            // The provider is asked where to send the person only now, with no transaction open.
            try {
                SignInMethods.Redirect redirect = methods.ssoRedirect(start, base);
                return ProviderHop.to(redirect.to(), redirect.state(), templates, config, request);
            } catch (SignInRefused e) {
                return error(502, page, e.getMessage());
            }
        }
        return (Response) outcome;
    }

    /** Finishes a sign-in GitHub or the org's provider vouched for, as the form would have with a typed login. */
    @GET
    @Path("login/finish")
    @Produces(MediaType.TEXT_HTML)
    public Response finish(@CookieParam(SignInCookie.NAME) String state) {
        Map<String, Object> page = page();
        Instant now = clock.instant();
        Response answer = tx.call(em -> SignInAttempts.finish(em, state, "web", now).map(finished -> {
            String org = String.valueOf(finished.resume().getOrDefault("org", ""));
            String next = safeNext(String.valueOf(finished.resume().get("next")));
            page.put("org", org);
            page.put("next", next);
            return complete(em, finished.identity(), finished.provider(),
                    org.isBlank() ? null : org, next, page);
        }).orElseGet(() -> error(400, page, "This sign-in expired or was finished already; sign in again.")));
        return Response.fromResponse(answer).cookie(SignInCookie.clear(request)).build();
    }

    /** Starts a session for a person who proved who they are, in the org they asked for. */
    private Response complete(EntityManager em, Identity identity, String method, String orgSlug, String next, Map<String, Object> page) {
        Memberships.SignedIn in;
        try {
            in = memberships.signIn(em, identity, orgSlug, Memberships.WEB, method, clock.instant()).orElse(null);
        } catch (Memberships.Refused e) {
            return error(403, page, e.getMessage());
        }
        if (in == null) {
            return error(403, page, identity.login() + " is not a member of org " + orgSlug + ".");
        }
        String secret = WebSessions.start(em, in.user().id(), in.orgId(), clock.instant());
        return Response.seeOther(URI.create(Csrf.path(request, next)))
                .cookie(new NewCookie.Builder(WebSessions.COOKIE).value(secret).path(Csrf.contextPath(request))
                        .httpOnly(true).secure(Requests.secure(config, request)).sameSite(NewCookie.SameSite.LAX)
                        .maxAge((int) WebSessions.TTL.toSeconds()).build())
                .build();
    }

    @POST
    @Path("logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signOut(@CookieParam(WebSessions.COOKIE) String session) {
        // Ending a session needs no CSRF check: the session cookie is SameSite=Lax, so a cross-site
        // post does not carry it, and a sign-out that only seemed to work would be worse.
        tx.run(em -> WebSessions.end(em, session));
        return Response.seeOther(URI.create(Csrf.path(request, "/login")))
                .cookie(new NewCookie.Builder(WebSessions.COOKIE).value("").path(Csrf.contextPath(request)).maxAge(0).build())
                .build();
    }

    /** Only a path on this server, so the sign-in page cannot be used to send people elsewhere. */
    static String safeNext(String next) {
        if (next == null || !next.matches("/[A-Za-z0-9/?&=._~%-]{0,199}") || next.startsWith("//")) {
            return "/dashboards/health";
        }
        return next;
    }

    private Map<String, Object> page() {
        Map<String, Object> page = new HashMap<>();
        page.put("title", "Sign in");
        page.put("action", Csrf.path(request, "/login"));
        page.put("standIn", methods.standIn());
        page.put("github", methods.github().isPresent());
        return page;
    }

    private Response error(int status, Map<String, Object> page, String error) {
        page.put("error", error);
        return form(status, page);
    }

    private Response form(int status, Map<String, Object> page) {
        String csrf = Csrf.newToken();
        page.put("csrf", csrf);
        return Pages.html(status, templates.render("login", page), methods.formTargets()).cookie(Csrf.cookie(csrf, config, request)).build();
    }
}
