package dev.ccp.server.billing.boundary;

import dev.ccp.server.billing.control.Reconciler;
import dev.ccp.server.platform.http.OperatorOnly;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /v1/admin/billing/reconcile}: the operator asks the providers for every open
 * subscription's state now, rather than at the next scheduled run.
 */
@ApplicationScoped
@OperatorOnly
@Path("v1/admin/billing/reconcile")
public class ReconcileResource {

    @Inject
    Reconciler reconciler;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Reconciler.Result reconcile() {
        return reconciler.run();
    }
}
