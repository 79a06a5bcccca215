package dev.ccp.server.billing.control;

import dev.ccp.server.audit.control.Actor;
import dev.ccp.server.billing.entity.BillingEvent;
import dev.ccp.server.billing.entity.Subscription;
import dev.ccp.server.license.control.LicenseService;
import dev.ccp.server.license.control.Plans;
import dev.ccp.server.org.control.Members;
import dev.ccp.server.org.entity.Org;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Turns provider snapshots into license state. The newest snapshot of each subscription is kept;
 * the org's license is then derived from its subscriptions' snapshots alone, so duplicated,
 * reordered or missed deliveries (repaired by reconciliation) all end in the same state. The plan
 * change itself is the license feature's ({@link LicenseService#changePlan}), the buyer's seat the
 * org feature's ({@link Members#seatBuyer}).
 */
public final class Billing {

    /** What applying a snapshot did: whether the org's license changed, and in words. */
    public record Outcome(boolean changed, String text) {
    }

    private final LicenseService licenses;
    private final Members members;
    private final Plans plans;

    public Billing(LicenseService licenses, Members members) {
        this.licenses = licenses;
        this.members = members;
        this.plans = licenses.plans();
    }

    /**
     * Processes a verified delivery once: a repeated event id changes nothing. The delivery and its
     * outcome are recorded in the same transaction as the license change.
     *
     * @return what happened, in words
     */
    public String receive(EntityManager em, String provider, Delivery delivery, Instant now) {
        if (em.find(BillingEvent.class, BillingEvent.key(provider, delivery.id())) != null) {
            return "duplicate: event " + delivery.id() + " was processed before";
        }
        String outcome = delivery.snapshot() == null ? "noted: " + delivery.note()
                : apply(em, delivery.snapshot(), provider + " event " + delivery.id(), now).text();
        em.persist(new BillingEvent(provider, delivery.id(), delivery.type(), outcome, now));
        em.flush();
        return outcome;
    }

    /**
     * Keeps the snapshot if it is the newest of its subscription and settles the org's license.
     *
     * @param cause what brought it, for the license history: an event id or a reconciliation
     * @return what happened
     */
    public Outcome apply(EntityManager em, Snapshot snapshot, String cause, Instant now) {
        Subscription stored = em.find(Subscription.class, Subscription.key(snapshot.provider(), snapshot.subscriptionId()),
                LockModeType.PESSIMISTIC_WRITE);
        String orgId = stored != null ? stored.orgId() : snapshot.orgId();
        if (orgId == null || em.find(Org.class, orgId) == null) {
            return new Outcome(false, "ignored: names no org of this server (metadata.ccp_org or the customer's external id)");
        }
        if (stored != null && !snapshot.newerThan(stored.snapshot())) {
            return new Outcome(false, "ignored: older than the snapshot held of " + snapshot.subscriptionId());
        }
        if (stored == null) {
            em.persist(new Subscription(snapshot.forOrg(orgId), cause, now));
        } else {
            stored.replace(snapshot, cause, now);
        }
        em.flush();
        Outcome outcome = settle(em, orgId, snapshot.provider(), cause, now);
        if (stored == null && snapshot.buyer() != null) {
            members.seatBuyer(em, em.find(Org.class, orgId), snapshot.buyer(), snapshot.provider(), now);
        }
        return outcome;
    }

    /** The org's subscriptions as the providers last described them, newest period first. */
    public List<Snapshot> subscriptions(EntityManager em, String orgId) {
        return em.createQuery("select s from Subscription s where s.orgId = :org order by s.updatedAt desc", Subscription.class)
                .setParameter("org", orgId).getResultStream().map(Subscription::snapshot).toList();
    }

    /**
     * Puts the org on the best term its subscriptions grant, and records the change with its cause.
     * The best term is the one granting now, then the higher plan, then the later end.
     */
    Outcome settle(EntityManager em, String orgId, String provider, String cause, Instant now) {
        Org org = em.find(Org.class, orgId, LockModeType.PESSIMISTIC_WRITE);
        List<String> order = plans.all().stream().map(Plans.Plan::name).toList();
        Term best = em.createQuery("select s from Subscription s where s.orgId = :org", Subscription.class)
                .setParameter("org", orgId).getResultStream()
                .map(s -> Term.of(s.snapshot(), plans.free().name(), org.graceDays()))
                .max(Comparator.comparing((Term t) -> t.grants(now))
                        .thenComparingInt(t -> order.indexOf(t.plan()))
                        .thenComparing(Term::expiresAt, Comparator.nullsLast(Comparator.naturalOrder())))
                .orElseThrow();
        if (best.plan().equals(org.plan()) && Objects.equals(best.seats(), org.seats()) && Objects.equals(best.expiresAt(), org.planExpiresAt())
                && best.state().equals(org.planState()) && Objects.equals(best.graceUntil(), org.graceUntil())) {
            return new Outcome(false, "applied: the license of " + org.slug() + " stays " + inForce(best, now));
        }
        licenses.changePlan(em, org, new LicenseService.PlanTerm(best.plan(), best.seats(), best.expiresAt(), best.state(), best.graceUntil()),
                cause + " (" + best.state() + ")", Actor.billing(provider), now);
        return new Outcome(true, "applied: " + org.slug() + " is now on " + inForce(best, now));
    }

    /**
     * The plan a term puts in force now, in words: a subscription that was canceled or deleted and
     * whose paid time is over leaves the org on the free plan, whatever plan it was for.
     */
    String inForce(Term term, Instant now) {
        if (!term.grants(now)) {
            return plans.free().name() + " (" + term.plan() + " " + term.state() + ", ended " + term.expiresAt() + ")";
        }
        return term.plan() + " (" + term.state() + (term.expiresAt() == null ? "" : ", until " + term.expiresAt()) + ")";
    }
}
