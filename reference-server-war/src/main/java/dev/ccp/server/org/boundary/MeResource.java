package dev.ccp.server.org.boundary;

import dev.ccp.server.identity.boundary.Bearer;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.identity.control.Users;
import dev.ccp.server.identity.entity.User;
import dev.ccp.server.org.control.Accounts;
import dev.ccp.server.org.control.PlanAllowance;
import dev.ccp.server.org.entity.Membership;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.spi.wire.Me;
import dev.ccp.spi.wire.OrgView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** {@code GET /v1/me}: who the token is for, and the orgs they belong to. */
@ApplicationScoped
@Bearer
@Path("v1/me")
public class MeResource {

    @Inject
    Tx tx;
    @Inject
    Tokens tokens;
    @Inject
    PlanAllowance plans;
    @Inject
    Clock clock;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Me me(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return tx.call(em -> {
            Instant now = clock.instant();
            Principal caller = tokens.authenticate(em, authorization, now);
            String current = Accounts.callerOrg(em, caller).org().slug();
            User user = Users.of(em, caller);
            List<OrgView> orgs = Accounts.orgsOf(em, user.id()).stream().map(row -> {
                Org org = (Org) row[0];
                Membership m = (Membership) row[1];
                PlanAllowance.Allowance plan = plans.allowance(org, now);
                return new OrgView(org.slug(), org.name(), plan.plan(), plan.seats(), (int) Accounts.seatsHeld(em, org.id()), m.role().wire());
            }).toList();
            return new Me(user.id(), user.login(), user.email(), user.github(), current, orgs);
        });
    }
}
