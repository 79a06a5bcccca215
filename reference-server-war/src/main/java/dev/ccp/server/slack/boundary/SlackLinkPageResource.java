package dev.ccp.server.slack.boundary;

import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.Users;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.platform.pages.Csrf;
import dev.ccp.server.platform.pages.Pages;
import dev.ccp.server.platform.pages.SignInLimit;
import dev.ccp.server.platform.pages.Templates;
import dev.ccp.server.slack.control.SlackTeams;
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
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /slack/link/{code}}: the page {@code /ccp link} sends a Slack user to. They sign in with the
 * server's own sign-in (so the link proves who they are), see which Slack workspace and CCP account
 * are about to be linked, and confirm with a form. A used, expired or unknown link gets a page that
 * says so, and a client trying codes is slowed by the sign-in pages' rate limit.
 */
@RequestScoped
@Path("slack/link")
@Produces(MediaType.TEXT_HTML)
public class SlackLinkPageResource {

    private static final String TITLE = "Link your Slack account";

    @Inject
    Tx tx;
    @Inject
    SlackTeams teams;
    @Inject
    SignInLimit limit;
    @Inject
    Templates templates;
    @Inject
    Clock clock;
    @Context
    HttpServletRequest request;

    @GET
    @Path("{code}")
    public Response show(@PathParam("code") String code, @CookieParam(WebSessions.COOKIE) String session) {
        return tx.call(em -> {
            Instant now = clock.instant();
            Map<String, Object> page = page();
            Response limited = limited(em, page);
            if (limited != null) {
                return limited;
            }
            Optional<SlackTeams.PendingLink> link = teams.pendingLink(em, code, now);
            if (link.isEmpty()) {
                return closed(page);
            }
            Optional<Principal> caller = WebSessions.resolve(em, session, now);
            if (caller.isEmpty()) {
                return signIn(code);
            }
            page.put("open", true);
            page.put("team", link.get().teamName());
            page.put("org", link.get().org().slug());
            page.put("login", login(em, caller.get()));
            page.put("expires", "in " + SlackTeams.LINK_TTL.toMinutes() + " minutes from when it was made");
            page.put("csrf", WebSessions.csrf(session));
            return Pages.html(200, templates.render("slack-link", page)).build();
        });
    }

    @POST
    @Path("{code}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response link(@PathParam("code") String code, @CookieParam(WebSessions.COOKIE) String session, MultivaluedMap<String, String> form) {
        Map<String, String> fields = Pages.fields(form);
        Map<String, Object> page = page();
        try {
            return tx.call(em -> {
                Instant now = clock.instant();
                Response limited = limited(em, page);
                if (limited != null) {
                    return limited;
                }
                Optional<Principal> caller = WebSessions.resolve(em, session, now);
                if (caller.isEmpty()) {
                    return signIn(code);
                }
                if (!Csrf.valid(WebSessions.csrf(session), fields.get("csrf"))) {
                    throw ProblemException.forbidden("This form expired or did not come from this site. Open the link from Slack again.");
                }
                Optional<SlackTeams.PendingLink> linked = teams.link(em, code, caller.get().userId(), now);
                if (linked.isEmpty()) {
                    return closed(page);
                }
                page.put("linked", true);
                page.put("team", linked.get().teamName());
                page.put("org", linked.get().org().slug());
                page.put("login", login(em, caller.get()));
                return Pages.html(200, templates.render("slack-link", page)).build();
            });
        } catch (ProblemException e) {
            page.put("error", e.problem().detail());
            return Pages.html(e.problem().status(), templates.render("slack-link", page)).build();
        }
    }

    private Response closed(Map<String, Object> page) {
        page.put("closed", "This link was used already, has expired, or is not known here: each link from /ccp link works once, for "
                + SlackTeams.LINK_TTL.toMinutes() + " minutes.");
        return Pages.html(410, templates.render("slack-link", page)).build();
    }

    private Response signIn(String code) {
        String next = "/slack/link/" + code;
        return Response.seeOther(URI.create(Csrf.path(request, "/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)))).build();
    }

    private Response limited(EntityManager em, Map<String, Object> page) {
        return limit.exceeded(em, request).map(wait -> {
            page.put("error", "Too many tries from your address; wait a minute and try again.");
            return Pages.html(429, templates.render("slack-link", page)).header("Retry-After", wait.toSeconds()).build();
        }).orElse(null);
    }

    private static String login(EntityManager em, Principal caller) {
        return Users.logins(em, List.of(caller.userId())).getOrDefault(caller.userId(), caller.userId());
    }

    private Map<String, Object> page() {
        Map<String, Object> page = new HashMap<>();
        page.put("title", TITLE);
        page.put("action", request.getRequestURI());
        return page;
    }
}
