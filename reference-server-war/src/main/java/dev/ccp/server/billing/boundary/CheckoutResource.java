package dev.ccp.server.billing.boundary;

import dev.ccp.server.billing.control.Checkouts;
import dev.ccp.server.identity.boundary.Bearer;
import dev.ccp.server.identity.control.Identity;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.identity.control.Users;
import dev.ccp.server.identity.entity.User;
import dev.ccp.server.org.control.Accounts;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.platform.http.Requests;
import dev.ccp.spi.wire.CheckoutRequest;
import dev.ccp.spi.wire.CheckoutResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;

/**
 * {@code POST /v1/billing/checkout}: an owner or admin buys a plan for their org. The checkout is
 * created with the provider outside any transaction; the license changes only when the provider's
 * webhook says the payment went through.
 */
@ApplicationScoped
@Bearer
@Path("v1/billing/checkout")
public class CheckoutResource {

    @Inject
    Tx tx;
    @Inject
    Tokens tokens;
    @Inject
    Checkouts checkouts;
    @Inject
    ServerConfig config;
    @Inject
    Clock clock;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public CheckoutResponse checkout(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, CheckoutRequest request) {
        if (request == null || request.plan() == null || request.plan().isBlank()) {
            throw ProblemException.badRequest("send {\"plan\": \"pro\"} (and optionally seats, provider, github)");
        }
        if (request.seats() != null && (request.seats() < 1 || request.seats() > 100_000)) {
            throw ProblemException.badRequest("seats must be between 1 and 100000, was " + request.seats());
        }
        String github = request.github() == null ? null : Identity.parse(request.github()).map(Identity::github).orElseThrow(() ->
                ProblemException.badRequest("github must be a GitHub handle, was '" + request.github() + "'"));
        String base = Requests.baseUrl(config, uri);
        record Buyer(Checkouts.Order order, String orgSlug) {
        }
        Buyer buyer = tx.call(em -> {
            Principal caller = tokens.authenticate(em, authorization, clock.instant());
            Accounts.CallerOrg mine = Accounts.callerOrg(em, caller);
            Org org = mine.org();
            if (!mine.membership().role().manages()) {
                throw ProblemException.forbidden("only owners and admins of " + org.slug() + " buy its plan");
            }
            User user = Users.of(em, caller);
            return new Buyer(new Checkouts.Order(org.id(), user.id(), user.email(), github != null ? github : user.github(),
                    request.plan(), request.seats(), base + "pricing?checkout=done"), org.slug());
        });
        return new CheckoutResponse(checkouts.create(buyer.order(), request.provider()), request.plan(), buyer.orgSlug());
    }
}
