package dev.ccp.server.billing.control;

import dev.ccp.server.billing.entity.Subscription;
import dev.ccp.server.platform.database.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the providers for the current state of every subscription that still grants or may grant a
 * plan, and applies it like a delivery: what missed or lost webhooks left wrong is repaired, and
 * the change is recorded with the cause {@code reconciliation}. Runs on a schedule and on demand.
 */
public final class Reconciler {

    /** What a run did. */
    public record Result(int checked, int changed, List<String> failed) {
    }

    private final Tx tx;
    private final Billing billing;
    private final PolarEvents polar;
    private final StripeEvents stripe;
    private final Clock clock;

    public Reconciler(Tx tx, Billing billing, PolarEvents polar, StripeEvents stripe, Clock clock) {
        this.tx = tx;
        this.billing = billing;
        this.polar = polar;
        this.stripe = stripe;
        this.clock = clock;
    }

    /** Reconciles every org's open subscriptions; the providers are asked outside any transaction. */
    public Result run() {
        List<Snapshot> open = tx.call(em -> em.createQuery("select s from Subscription s", Subscription.class).getResultStream()
                .map(Subscription::snapshot).filter(s -> !Snapshot.ENDED.contains(s.status())).toList());
        int changed = 0;
        List<String> failed = new ArrayList<>();
        for (Snapshot held : open) {
            try {
                Instant now = clock.instant();
                Snapshot current = switch (held.provider()) {
                    case PolarEvents.PROVIDER -> polar.fetch(held.subscriptionId(), now);
                    case StripeEvents.PROVIDER -> stripe.fetch(held.subscriptionId(), held.orgId());
                    default -> throw new IllegalStateException("unknown provider " + held.provider());
                };
                if (tx.call(em -> billing.apply(em, current.forOrg(held.orgId()), "reconciliation", now)).changed()) {
                    changed++;
                }
            } catch (RuntimeException e) {
                failed.add(held.provider() + " " + held.subscriptionId() + ": " + e.getMessage());
            }
        }
        return new Result(open.size(), changed, failed);
    }
}
