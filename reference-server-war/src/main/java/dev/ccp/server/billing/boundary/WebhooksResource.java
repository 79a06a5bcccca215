package dev.ccp.server.billing.boundary;

import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.ccp.server.billing.control.Billing;
import dev.ccp.server.billing.control.Delivery;
import dev.ccp.server.billing.control.PolarEvents;
import dev.ccp.server.billing.control.StripeEvents;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Billing providers' webhooks. Each delivery is verified before a byte of it is read, processed once
 * per event id, and acknowledged only after its license change is committed; a provider retries
 * anything else.
 */
@ApplicationScoped
@Path("v1/webhooks")
public class WebhooksResource {

    @Inject
    Tx tx;
    @Inject
    Billing billing;
    @Inject
    PolarEvents polar;
    @Inject
    StripeEvents stripe;
    @Inject
    Clock clock;

    @POST
    @Path("polar")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> polar(String body, @Context HttpHeaders headers) {
        if (!polar.configured()) {
            throw new ProblemException(503, "billing-not-configured", "Billing not configured",
                    "this server has no CCP_POLAR_WEBHOOK_SECRET, so it takes no Polar webhooks");
        }
        try {
            polar.verify(body, headers.getRequestHeaders());
        } catch (WebhookVerificationException e) {
            throw new ProblemException(401, "bad-webhook-signature", "Webhook not verified",
                    "the delivery's webhook-signature does not verify, or its webhook-timestamp is more than 5 minutes off: "
                            + e.getMessage());
        }
        Delivery delivery;
        try {
            delivery = polar.read(headers.getHeaderString("webhook-id"), body);
        } catch (IOException e) {
            throw ProblemException.badRequest("the delivery is not a Polar event: " + e.getMessage());
        }
        return receive(PolarEvents.PROVIDER, delivery);
    }

    @POST
    @Path("stripe")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> stripe(String body, @Context HttpHeaders headers) {
        if (!stripe.configured()) {
            throw new ProblemException(503, "billing-not-configured", "Billing not configured",
                    "this server has no CCP_STRIPE_WEBHOOK_SECRET, so it takes no Stripe webhooks");
        }
        try {
            stripe.verify(body, headers.getHeaderString("Stripe-Signature"));
        } catch (StripeEvents.Unverified e) {
            throw new ProblemException(401, "bad-webhook-signature", "Webhook not verified",
                    "the delivery's Stripe-Signature does not verify, or its timestamp is more than 5 minutes off: " + e.getMessage());
        }
        Delivery delivery;
        try {
            delivery = stripe.read(body);
        } catch (IOException e) {
            throw ProblemException.badRequest("the delivery is not a Stripe event: " + e.getMessage());
        }
        return receive(StripeEvents.PROVIDER, delivery);
    }

    private Map<String, String> receive(String provider, Delivery delivery) {
        Instant now = clock.instant();
        return Map.of("event", delivery.id(), "outcome", tx.call(em -> billing.receive(em, provider, delivery, now)));
    }
}
