package dev.ccp.server.admin.boundary;

import dev.ccp.server.billing.control.Billing;
import dev.ccp.server.billing.control.Checkouts;
import dev.ccp.server.billing.control.Snapshot;
import dev.ccp.server.identity.control.Users;
import dev.ccp.server.identity.entity.User;
import dev.ccp.server.license.control.LicenseService;
import dev.ccp.server.license.control.Plans;
import dev.ccp.server.platform.http.ProblemException;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /admin/billing}: the plan in force and the subscriptions behind it, as the billing provider
 * last described them; owners and admins start a checkout. The checkout page is the provider's: this
 * page links to it rather than redirecting, since the pages only ever post to this site.
 */
@RequestScoped
@Path("admin/billing")
@Produces(MediaType.TEXT_HTML)
public class AdminBillingResource extends AdminPages {

    private static final Page PAGE = new Page("billing", "Billing", false);

    @Inject
    LicenseService licenses;
    @Inject
    Billing billing;
    @Inject
    Checkouts checkouts;

    @GET
    public Response state(@CookieParam(WebSessions.COOKIE) String session) {
        return show(session, PAGE, null, this::fill);
    }

    @POST
    @Path("checkout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response checkout(@CookieParam(WebSessions.COOKIE) String session, MultivaluedMap<String, String> form) {
        return change(session, form, PAGE, this::fill, (em, admin, fields) -> {
            String plan = fields.get("plan");
            if (plan == null || licenses.plans().find(plan).isEmpty() || plan.equals(licenses.plans().free().name())) {
                throw ProblemException.badRequest("Choose one of the paid plans.");
            }
            User user = Users.of(em, admin.caller());
            Checkouts.Order order = new Checkouts.Order(admin.org().id(), user.id(), user.email(), user.github(), plan,
                    seats(fields.get("seats")), admin.baseUrl() + "admin/billing");
            String provider = fields.get("provider") == null || fields.get("provider").isBlank() ? null : fields.get("provider");
            // The provider is asked after the transaction, as the API does: no lock is held while it answers.
            return Done.later(() -> Map.of("checkoutUrl", checkouts.create(order, provider)));
        });
    }

    private static Integer seats(String text) {
        Long seats = number(text, "Seats must be a whole number between 1 and 100000.");
        if (seats != null && (seats < 1 || seats > 100_000)) {
            throw ProblemException.badRequest("Seats must be a whole number between 1 and 100000.");
        }
        return seats == null ? null : seats.intValue();
    }

    private void fill(EntityManager em, Admin admin, Map<String, Object> scope) {
        LicenseService.Effective license = licenses.effective(admin.org(), admin.now(), admin.baseUrl());
        scope.put("plan", license.plan().title());
        scope.put("state", license.state().replace('_', ' '));
        scope.put("seats", license.seats());
        scope.put("licenseMessage", license.message());
        List<Snapshot> subscriptions = billing.subscriptions(em, admin.org().id());
        scope.put("subscriptions", subscriptions.stream().map(s -> {
            Map<String, Object> row = new HashMap<>();
            row.put("provider", s.provider().equals("polar") ? "Polar" : "Stripe");
            row.put("plan", s.plan() == null ? "(no plan of this server)" : licenses.plans().find(s.plan()).map(Plans.Plan::title).orElse(s.plan()));
            row.put("status", s.status().replace('_', ' ') + (s.cancelAtPeriodEnd() ? ", ends at period end" : ""));
            row.put("seats", s.seats() == null ? "" : s.seats());
            row.put("periodEnd", s.periodEnd() == null ? "" : DAY.format(s.periodEnd()));
            return row;
        }).toList());
        scope.put("plans", licenses.plans().all().stream().filter(p -> !p.name().equals(licenses.plans().free().name()))
                .map(p -> Map.of("name", p.name(), "title", p.title(), "seats", p.seats() == 1 ? "1 seat" : p.seats() + " seats")).toList());
        scope.put("hasSubscriptions", !subscriptions.isEmpty());
    }
}
