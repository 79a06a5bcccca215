package dev.ccp.server.org.control;

import dev.ccp.server.org.entity.Org;
import java.time.Instant;

/**
 * What an org's plan allows it now, as the license feature reckons it (a plan past its end counts as
 * free). The license feature builds on orgs, so orgs ask through this: {@code license.control}
 * implements it and the composition root wires it in.
 */
public interface PlanAllowance {

    /** The plan in force: its name, its title for people, and the seats it holds. */
    record Allowance(String plan, String title, int seats) {
    }

    Allowance allowance(Org org, Instant now);
}
