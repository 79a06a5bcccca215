package dev.ccp.server.admin.boundary;

import dev.ccp.server.org.control.Members;
import dev.ccp.server.web.control.WebSessions;
import dev.ccp.spi.wire.Member;
import dev.ccp.spi.wire.SeatsView;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
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
 * {@code /admin/members}: who is in the org, their role and seat; owners and admins add people,
 * change roles, give and take seats and remove members. Members see the list only.
 */
@RequestScoped
@Path("admin/members")
@Produces(MediaType.TEXT_HTML)
public class AdminMembersResource extends AdminPages {

    private static final Page PAGE = new Page("members", "Members", true);

    @Inject
    Members members;

    @GET
    public Response list(@CookieParam(WebSessions.COOKIE) String session, @QueryParam("done") String done) {
        return show(session, PAGE, done, this::fill);
    }

    @POST
    @Path("add")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response add(@CookieParam(WebSessions.COOKIE) String session, MultivaluedMap<String, String> form) {
        return change(session, form, PAGE, this::fill, (em, admin, fields) -> {
            members.add(em, admin.caller(), admin.org(), fields.get("login"), fields.get("role"), "on".equals(fields.get("seat")), admin.now());
            return Done.notice("added");
        });
    }

    @POST
    @Path("role")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response role(@CookieParam(WebSessions.COOKIE) String session, MultivaluedMap<String, String> form) {
        return change(session, form, PAGE, this::fill, (em, admin, fields) -> {
            members.changeRole(em, admin.caller(), admin.org(), fields.get("login"), fields.get("role"), admin.now());
            return Done.notice("role");
        });
    }

    @POST
    @Path("seat")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response seat(@CookieParam(WebSessions.COOKIE) String session, MultivaluedMap<String, String> form) {
        return change(session, form, PAGE, this::fill, (em, admin, fields) -> {
            if ("take".equals(fields.get("seat"))) {
                members.unassignSeat(em, admin.caller(), admin.org(), fields.get("login"), admin.now());
                return Done.notice("unseat");
            }
            members.assignSeat(em, admin.caller(), admin.org(), fields.get("login"), admin.now());
            return Done.notice("seat");
        });
    }

    @POST
    @Path("remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response remove(@CookieParam(WebSessions.COOKIE) String session, MultivaluedMap<String, String> form) {
        return change(session, form, PAGE, this::fill, (em, admin, fields) -> {
            members.remove(em, admin.caller(), admin.org(), fields.get("login"), admin.now());
            return Done.notice("removed");
        });
    }

    private void fill(jakarta.persistence.EntityManager em, Admin admin, Map<String, Object> scope) {
        SeatsView seats = members.seats(em, admin.org(), admin.now());
        scope.put("seatsUsed", seats.seatsUsed());
        scope.put("seatsTotal", seats.seats());
        List<Map<String, Object>> rows = members.list(em, admin.org()).stream().map(m -> row(m, admin)).toList();
        scope.put("members", rows);
    }

    private static Map<String, Object> row(Member m, Admin admin) {
        Map<String, Object> row = new HashMap<>();
        row.put("login", m.login());
        row.put("role", m.role());
        row.put("seat", m.seat() != null);
        row.put("pending", "pending".equals(m.status()));
        row.put("roles", List.of("owner", "admin", "member").stream()
                .map(r -> Map.of("name", r, "selected", r.equals(m.role()))).toList());
        return row;
    }
}
