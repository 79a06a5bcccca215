package dev.ccp.server.admin.boundary;

import dev.ccp.server.github.control.GitHubInstallations;
import dev.ccp.server.identity.control.Users;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.platform.pages.Pages;
import dev.ccp.server.web.control.WebSessions;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /admin/github}: the GitHub App installations connected to the org, and the app's setup
 * URL: GitHub sends the person who installed the app here with {@code installation_id}, and an
 * owner or admin connects that installation with one press, and disconnects one as easily.
 */
@RequestScoped
@Path("admin/github")
@Produces(MediaType.TEXT_HTML)
public class AdminGitHubResource extends AdminPages {

    private static final Page PAGE = new Page("github", "GitHub", false);

    @Inject
    GitHubInstallations installations;

    @GET
    public Response settings(@CookieParam(WebSessions.COOKIE) String session, @QueryParam("done") String done,
            @QueryParam("installation_id") String installation) {
        return show(session, PAGE, done, (em, admin, scope) -> {
            fill(em, admin, scope);
            if (installation != null && installation.matches("[0-9]{1,18}")) {
                scope.put("offered", installation);
            }
        });
    }

    @POST
    @Path("connect")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response connect(@CookieParam(WebSessions.COOKIE) String session, MultivaluedMap<String, String> form) {
        // GitHub is asked before the form's transaction, and only for a person signed in whose GitHub login is known.
        String installation = Pages.fields(form).get("installation");
        // Signed in: the person's GitHub login, or null when they have none; not signed in: nothing is asked.
        Optional<String[]> github = tx.call(em -> WebSessions.resolve(em, session, clock.instant())
                .map(p -> new String[] {Users.of(em, p).github()}));
        ProblemException refused = null;
        String account = null;
        Long id = null;
        try {
            id = number(installation, "the installation is its number, as GitHub's settings URL shows it");
            if (id == null) {
                throw ProblemException.badRequest("name the installation to connect");
            }
            if (github.isPresent()) {
                account = installations.account(id, github.get()[0]);
            }
        } catch (ProblemException e) {
            refused = e;
        }
        ProblemException problem = refused;
        String owner = account;
        Long number = id;
        return change(session, form, PAGE, this::fill, (em, admin, fields) -> {
            if (problem != null) {
                throw problem;
            }
            installations.connect(em, admin.caller(), admin.org(), number, owner, admin.now());
            return Done.notice("github-connected");
        });
    }

    @POST
    @Path("disconnect")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response disconnect(@CookieParam(WebSessions.COOKIE) String session, MultivaluedMap<String, String> form) {
        return change(session, form, PAGE, this::fill, (em, admin, fields) -> {
            Long id = number(fields.get("installation"), "the installation is its number, as the list shows it");
            if (id == null) {
                throw ProblemException.badRequest("name the installation to disconnect");
            }
            installations.disconnect(em, admin.caller(), admin.org(), id, admin.now());
            return Done.notice("github-disconnected");
        });
    }

    private void fill(EntityManager em, Admin admin, Map<String, Object> scope) {
        scope.put("configured", installations.configured());
        scope.put("webhook", admin.baseUrl() + "v1/github/webhook");
        scope.put("setup", admin.baseUrl() + "admin/github");
        scope.put("installations", installations.list(em, admin.org()).stream()
                .map(i -> Map.of("id", i.id(), "account", i.account())).toList());
    }
}
