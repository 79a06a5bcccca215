package dev.ccp.server.admin.boundary;

import dev.ccp.server.platform.pages.ProviderHop;
import dev.ccp.server.slack.boundary.SlackResource;
import dev.ccp.server.slack.control.SlackTeams;
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

/**
 * {@code /admin/slack}: the Slack workspaces connected to the org. Owners and admins add the app to
 * a workspace (Slack's OAuth v2 install, which connects it to this org) and disconnect one.
 */
@RequestScoped
@Path("admin/slack")
@Produces(MediaType.TEXT_HTML)
public class AdminSlackResource extends AdminPages {

    private static final Page PAGE = new Page("slack", "Slack", false);

    @Inject
    SlackTeams teams;

    @GET
    public Response settings(@CookieParam(WebSessions.COOKIE) String session, @QueryParam("done") String done) {
        return show(session, PAGE, done, this::fill);
    }

    @POST
    @Path("install")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response install(@CookieParam(WebSessions.COOKIE) String session, MultivaluedMap<String, String> form) {
        return change(session, form, PAGE, this::fill, (em, admin, fields) -> {
            SlackTeams.Install install = teams.beginInstall(em, admin.caller(), admin.org(), admin.role(),
                    SlackResource.redirectUri(admin.baseUrl()), admin.now());
            return Done.answer(ProviderHop.to(install.authorize(), install.state(), templates, config, request));
        });
    }

    @POST
    @Path("remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response remove(@CookieParam(WebSessions.COOKIE) String session, MultivaluedMap<String, String> form) {
        return change(session, form, PAGE, this::fill, (em, admin, fields) -> {
            teams.disconnect(em, admin.caller(), admin.org(), fields.get("team"), admin.now());
            return Done.notice("slack-removed");
        });
    }

    private void fill(EntityManager em, Admin admin, Map<String, Object> scope) {
        scope.put("installable", teams.installable());
        scope.put("callback", SlackResource.redirectUri(admin.baseUrl()));
        scope.put("commands", admin.baseUrl() + "v1/slack/commands");
        scope.put("interactions", admin.baseUrl() + "v1/slack/interactions");
        scope.put("teams", teams.teams(em, admin.org()).stream().map(t -> Map.of("id", t.id(), "name", t.name(), "by", t.installedBy(),
                "at", when(t.installedAt()), "linked", t.linked(), "channels", t.channels().stream()
                        .map(c -> Map.of("channel", c[0], "workspace", c[1])).toList())).toList());
    }
}
