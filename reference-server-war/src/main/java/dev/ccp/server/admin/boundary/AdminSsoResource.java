package dev.ccp.server.admin.boundary;

import dev.ccp.server.identity.control.SignInMethods;
import dev.ccp.server.org.control.SingleSignOn;
import dev.ccp.server.web.control.WebSessions;
import dev.ccp.spi.wire.SsoSettings;
import dev.ccp.spi.wire.SsoView;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /admin/sso}: the org's own identity provider, for owners and admins to read and owners to
 * set up, change or take away, through the same control layer as {@code /v1/orgs/{org}/sso}.
 */
@RequestScoped
@Path("admin/sso")
@Produces(MediaType.TEXT_HTML)
public class AdminSsoResource extends AdminPages {

    private static final Page PAGE = new Page("sso", "Single sign-on", false);

    @Inject
    SingleSignOn sso;

    @GET
    public Response settings(@CookieParam(WebSessions.COOKIE) String session, @QueryParam("done") String done) {
        return show(session, PAGE, done, this::fill);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(@CookieParam(WebSessions.COOKIE) String session, MultivaluedMap<String, String> form) {
        return change(session, form, PAGE, this::fill, (em, admin, fields) -> {
            String secret = fields.get("client_secret");
            List<String> domains = fields.get("domains") == null ? List.of()
                    : Arrays.stream(fields.get("domains").split("[,\\s]+")).filter(d -> !d.isBlank()).toList();
            sso.configure(em, admin.caller(), admin.org(), new SsoSettings(fields.get("kind"), fields.get("issuer"), fields.get("client_id"),
                    secret == null || secret.isBlank() ? null : secret, domains, "on".equals(fields.get("enforced")), fields.get("break_glass")),
                    callback(admin), admin.now());
            return Done.notice("sso");
        });
    }

    @POST
    @Path("remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response remove(@CookieParam(WebSessions.COOKIE) String session, MultivaluedMap<String, String> form) {
        return change(session, form, PAGE, this::fill, (em, admin, fields) -> {
            sso.remove(em, admin.caller(), admin.org(), admin.now());
            return Done.notice("sso-removed");
        });
    }

    private static String callback(Admin admin) {
        return SignInMethods.ssoCallback(admin.baseUrl());
    }

    private void fill(EntityManager em, Admin admin, Map<String, Object> scope) {
        Optional<SsoView> view = sso.view(em, admin.org(), callback(admin));
        scope.put("callback", callback(admin));
        scope.put("configured", view.isPresent());
        view.ifPresent(v -> {
            scope.put("issuer", v.issuer());
            scope.put("clientId", v.clientId());
            scope.put("domains", String.join(", ", v.domains()));
            scope.put("enforced", v.enforced());
            scope.put("breakGlass", v.breakGlass() == null ? "" : v.breakGlass());
        });
    }
}
