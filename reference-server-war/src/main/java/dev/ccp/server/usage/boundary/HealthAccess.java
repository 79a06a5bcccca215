package dev.ccp.server.usage.boundary;

import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.license.control.LicenseService;
import dev.ccp.server.org.control.Accounts;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.usage.control.HealthWindow;
import dev.ccp.server.usage.control.ModelHealth;
import dev.ccp.spi.wire.ModelHealthResponse;
import jakarta.persistence.EntityManager;
import java.time.Instant;

/** The one gate in front of the model health views: a member of the org, on a plan with dashboards. */
final class HealthAccess {

    private HealthAccess() {
    }

    static HealthWindow window(String text) {
        return HealthWindow.parse(text).orElseThrow(() -> ProblemException.badRequest("window must be 24h or 7d, was '" + text + "'"));
    }

    static ModelHealthResponse health(EntityManager em, Principal caller, LicenseService licenses, ModelHealth health,
            HealthWindow window, String baseUrl, Instant now) {
        Org org = Accounts.callerOrg(em, caller).org();
        licenses.require(org, "dashboards", "Dashboards", baseUrl, now);
        return health.compute(org.slug(), org.id(), org.kSafety(), window, now);
    }
}
