package dev.ccp.server.admin.boundary;

import dev.ccp.server.license.control.LicenseService;
import dev.ccp.server.org.control.Invites;
import dev.ccp.server.org.control.Members;
import dev.ccp.server.org.entity.Invite;
import dev.ccp.server.policy.control.Policies;
import dev.ccp.server.web.control.WebSessions;
import dev.ccp.spi.wire.PolicyVersionView;
import dev.ccp.spi.wire.SeatsView;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /admin}: the org at a glance: plan, seats, license state, people and policy, with where to act. */
@RequestScoped
@Path("admin")
public class AdminOverviewResource extends AdminPages {

    private static final Page PAGE = new Page("", "Overview", true);

    @Inject
    LicenseService licenses;
    @Inject
    Members members;
    @Inject
    Invites invites;
    @Inject
    Policies policies;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response overview(@CookieParam(WebSessions.COOKIE) String session) {
        return show(session, PAGE, null, (em, admin, scope) -> {
            LicenseService.Effective license = licenses.effective(admin.org(), admin.now(), admin.baseUrl());
            SeatsView seats = members.seats(em, admin.org(), admin.now());
            scope.put("plan", license.plan().title());
            scope.put("state", license.state().replace('_', ' '));
            scope.put("expires", license.expiresAt() == null ? null : DAY.format(license.expiresAt()));
            scope.put("grace", license.graceUntil() == null ? null : DAY.format(license.graceUntil()));
            scope.put("licenseMessage", license.message());
            scope.put("seatsUsed", seats.seatsUsed());
            scope.put("seatsTotal", seats.seats());
            scope.put("seatsFull", seats.seatsUsed() >= seats.seats());
            scope.put("memberCount", members.list(em, admin.org()).size());
            if (admin.manages()) {
                scope.put("openInvites", invites.list(em, admin.org()).stream()
                        .filter(i -> i.state(admin.now()) == Invite.State.OPEN).count());
            }
            List<Map<String, Object>> channels = new ArrayList<>();
            for (String channel : List.of("prod", "dev")) {
                List<PolicyVersionView> latest = policies.history(em, admin.org().id(), channel, 1);
                channels.add(Map.of("channel", channel, "version", latest.isEmpty() ? "nothing published" : "version " + latest.get(0).version()));
            }
            scope.put("channels", channels);
        });
    }
}
