package dev.ccp.server.usage.boundary;

import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.license.control.LicenseService;
import dev.ccp.server.org.control.Accounts;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.platform.http.Requests;
import dev.ccp.server.platform.pages.Csrf;
import dev.ccp.server.platform.pages.Pages;
import dev.ccp.server.platform.pages.Templates;
import dev.ccp.server.usage.control.HealthWindow;
import dev.ccp.server.usage.control.ModelHealth;
import dev.ccp.server.web.control.WebSessions;
import dev.ccp.spi.wire.ModelHealthResponse;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /dashboards/health?window=24h|7d}: model health as a page with SVG charts, readable without
 * JavaScript, for members signed in through {@code /login}.
 */
@RequestScoped
@Path("dashboards")
public class DashboardResource {

    @Inject
    Tx tx;
    @Inject
    LicenseService licenses;
    @Inject
    ModelHealth health;
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

    /** The signed-in org and its health, or why there is none. */
    private record View(Org org, ModelHealthResponse health, ProblemException refusal) {
    }

    @GET
    @Path("health")
    @Produces(MediaType.TEXT_HTML)
    public Response page(@CookieParam(WebSessions.COOKIE) String session, @QueryParam("window") String windowText) {
        HealthWindow window = HealthWindow.parse(windowText).orElse(HealthWindow.DAY);
        Instant now = clock.instant();
        String base = Requests.baseUrl(config, uri);
        Optional<View> view = tx.call(em -> WebSessions.resolve(em, session, now).map(caller -> view(em, caller, window, base, now)));
        if (view.isEmpty()) {
            String next = "/dashboards/health?window=" + window.label();
            return Response.seeOther(URI.create(base + "login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8))).build();
        }
        Map<String, Object> page = new HashMap<>();
        page.put("title", "Model health");
        page.put("org", view.get().org().slug());
        page.put("day", window == HealthWindow.DAY);
        page.put("week", window == HealthWindow.WEEK);
        page.put("csvUrl", "health.csv?window=" + window.label());
        page.put("logoutAction", base + "logout");
        int status = 200;
        if (view.get().refusal() != null) {
            status = view.get().refusal().problem().status();
            page.put("paywall", view.get().refusal().problem().detail());
            page.put("upgradeUrl", view.get().refusal().problem().upgradeUrl());
        } else {
            page.put("health", HealthPage.scope(view.get().health()));
        }
        String csrf = Csrf.newToken();
        page.put("csrf", csrf);
        return Pages.html(status, templates.render("health", page)).cookie(Csrf.cookie(csrf, config, request)).build();
    }

    /** The page's figures as CSV, for the signed-in browser (the API takes a bearer token instead). */
    @GET
    @Path("health.csv")
    @Produces(ModelHealthResource.CSV)
    public Response csv(@CookieParam(WebSessions.COOKIE) String session, @QueryParam("window") String windowText) {
        HealthWindow window = HealthAccess.window(windowText);
        Instant now = clock.instant();
        String base = Requests.baseUrl(config, uri);
        ModelHealthResponse answer = tx.call(em -> {
            Principal caller = WebSessions.resolve(em, session, now).orElseThrow(() ->
                    ProblemException.unauthorized("sign in at " + base + "login first"));
            return HealthAccess.health(em, caller, licenses, health, window, base, now);
        });
        return ModelHealthResource.csv(answer);
    }

    private View view(jakarta.persistence.EntityManager em, Principal caller, HealthWindow window, String base, Instant now) {
        Org org = Accounts.callerOrg(em, caller).org();
        try {
            return new View(org, HealthAccess.health(em, caller, licenses, health, window, base, now), null);
        } catch (ProblemException e) {
            return new View(org, null, e);
        }
    }
}
