package dev.ccp.server.admin.boundary;

import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.policy.control.Policies;
import dev.ccp.server.policy.control.PolicyWatch;
import dev.ccp.server.policy.entity.PolicyHead;
import dev.ccp.server.web.control.WebSessions;
import dev.ccp.spi.wire.PolicyVersionView;
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
 * {@code /admin/policy}: the version each channel serves and the history behind it; owners and
 * admins promote a {@code dev} version to {@code prod}. Documents are published with
 * {@code ccp policy publish}, where they are written and checked.
 */
@RequestScoped
@Path("admin/policy")
@Produces(MediaType.TEXT_HTML)
public class AdminPolicyResource extends AdminPages {

    private static final Page PAGE = new Page("policy", "Policy", false);
    private static final int HISTORY = 20;

    @Inject
    Policies policies;
    @Inject
    PolicyWatch watch;

    @GET
    public Response channels(@CookieParam(WebSessions.COOKIE) String session, @QueryParam("done") String done) {
        return show(session, PAGE, done, this::fill);
    }

    @POST
    @Path("promote")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response promote(@CookieParam(WebSessions.COOKIE) String session, MultivaluedMap<String, String> form) {
        return change(session, form, PAGE, this::fill, (em, admin, fields) -> {
            Long version = number(fields.get("version"), "Choose a dev version to promote.");
            if (version == null) {
                throw ProblemException.badRequest("Choose a dev version to promote.");
            }
            Policies.Published published = policies.promote(em, admin.org(),
                    admin.caller().userId(), version, admin.baseUrl(), admin.now());
            PolicyHead head = published.head();
            PolicyWatch.Head woken = new PolicyWatch.Head(head.id(), head.version(), head.etag(), head.pack());
            // Tools waiting on this node hear of the new version once it is committed, as after the API's promote.
            return Done.notice("promoted").then(published.created() ? () -> watch.published(woken) : null);
        });
    }

    private void fill(EntityManager em, Admin admin, Map<String, Object> scope) {
        scope.put("channels", List.of("prod", "dev").stream().map(channel -> {
            List<PolicyVersionView> history = policies.history(em, admin.org().id(), channel, HISTORY);
            Map<String, Object> c = new HashMap<>();
            c.put("channel", channel);
            c.put("dev", channel.equals("dev"));
            c.put("inForce", history.isEmpty() ? null : history.get(0).version());
            c.put("versions", history.stream().map(v -> {
                Map<String, Object> row = new HashMap<>();
                row.put("version", v.version());
                row.put("at", when(v.publishedAt()));
                row.put("by", v.publishedBy());
                row.put("digest", v.digest().substring(0, 12));
                row.put("promotedFrom", v.promotedFrom());
                return row;
            }).toList());
            return c;
        }).toList());
    }
}
