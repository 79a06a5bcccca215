package dev.ccp.server.admin.boundary;

import dev.ccp.server.org.control.Invites;
import dev.ccp.server.org.entity.Invite;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /admin/invites}: owners and admins invite by email, GitHub handle or link, and revoke or
 * resend open invites. A link's secret is shown once, on the page that made it, and never again.
 */
@RequestScoped
@Path("admin/invites")
@Produces(MediaType.TEXT_HTML)
public class AdminInvitesResource extends AdminPages {

    private static final Page PAGE = new Page("invites", "Invites", false);

    @Inject
    Invites invites;

    @GET
    public Response list(@CookieParam(WebSessions.COOKIE) String session, @QueryParam("done") String done) {
        return show(session, PAGE, done, this::fill);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@CookieParam(WebSessions.COOKIE) String session, MultivaluedMap<String, String> form) {
        return change(session, form, PAGE, this::fill, (em, admin, fields) -> {
            String login = fields.get("login") == null || fields.get("login").isBlank() ? null : fields.get("login").strip();
            Invites.Issued issued = invites.create(em, admin.caller(), admin.org(), login, fields.get("role"),
                    "on".equals(fields.get("seat")), days(fields.get("days")), admin.now());
            return issued.token() == null ? Done.notice("invited") : Done.show(link(admin, issued));
        });
    }

    @POST
    @Path("revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(@CookieParam(WebSessions.COOKIE) String session, MultivaluedMap<String, String> form) {
        return change(session, form, PAGE, this::fill, (em, admin, fields) -> {
            invites.revoke(em, admin.caller(), admin.org(), fields.get("id"), admin.now());
            return Done.notice("revoked");
        });
    }

    @POST
    @Path("resend")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response resend(@CookieParam(WebSessions.COOKIE) String session, MultivaluedMap<String, String> form) {
        return change(session, form, PAGE, this::fill, (em, admin, fields) -> {
            Invites.Issued issued = invites.resend(em, admin.caller(), admin.org(), fields.get("id"), admin.now());
            return issued.token() == null ? Done.notice("resent") : Done.show(link(admin, issued));
        });
    }

    private static Integer days(String text) {
        Long days = number(text, "Days must be a whole number between 1 and " + Invites.MAX_DAYS + ".");
        return days == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, days));
    }

    private static Map<String, Object> link(Admin admin, Invites.Issued issued) {
        return Map.of("link", admin.baseUrl() + "invite/" + issued.token(), "linkExpires", when(issued.invite().expiresAt()));
    }

    private void fill(EntityManager em, Admin admin, Map<String, Object> scope) {
        List<Map<String, Object>> rows = invites.list(em, admin.org()).stream().map(i -> {
            Map<String, Object> row = new HashMap<>();
            Invite.State state = i.state(admin.now());
            row.put("id", i.id());
            row.put("who", i.link() ? "Link" : i.login());
            row.put("role", i.role().wire());
            row.put("seat", i.seat());
            row.put("state", state.wire());
            row.put("open", state == Invite.State.OPEN);
            row.put("expires", when(i.expiresAt()));
            return row;
        }).toList();
        scope.put("invites", rows);
        scope.put("hasInvites", !rows.isEmpty());
        scope.put("maxDays", Invites.MAX_DAYS);
        scope.put("defaultDays", Invites.DEFAULT_DAYS);
        scope.put("roles", List.of(Map.of("name", "member", "selected", true), Map.of("name", "admin", "selected", false),
                Map.of("name", "owner", "selected", false)));
    }
}
