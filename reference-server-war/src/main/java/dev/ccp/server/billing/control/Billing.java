package dev.ccp.server.billing.control;

import dev.ccp.server.billing.entity.BillingEvent;
import dev.ccp.server.billing.entity.Subscription;
import dev.ccp.server.identity.control.Identity;
import dev.ccp.server.identity.entity.User;
import dev.ccp.server.license.control.Plans;
import dev.ccp.server.org.control.Accounts;
import dev.ccp.server.org.entity.Membership;
import dev.ccp.server.license.entity.LicenseEvent;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.Ids;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Turns provider snapshots into license state. The newest snapshot of each subscription is kept;
 * the org's license is then derived from its subscriptions' snapshots alone, so duplicated,
 * reordered or missed deliveries (repaired by reconciliation) all end in the same state.
 */
public final class Billing {

    /** What applying a snapshot did: whether the org's license changed, and in words. */
    public record Outcome(boolean changed, String text) {
    }

    private final Plans plans;

    public Billing(Plans plans) {
        this.plans = plans;
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
            seatForBuyer(em, em.find(Org.class, orgId), snapshot.buyer(), now);
        }
        return outcome;
    }

    /**
     * The buyer of a new subscription holds a seat in its org while one is free: a member without
     * a seat gets one, someone else becomes a member with one, and someone who has not logged in
     * yet gets a seat that waits for their first login with that email or handle.
     */
    private void seatForBuyer(EntityManager em, Org org, String buyer, Instant now) {
        Identity identity = Identity.parse(buyer).orElse(null);
        int limit = org.seats() != null ? org.seats() : plans.get(org.plan()).seats();
        if (identity == null || Accounts.seatsHeld(em, org.id()) >= limit) {
            return;
        }
        User user = Accounts.findUser(em, identity).orElse(null);
        if (user != null) {
            Membership member = Accounts.membership(em, org.id(), user.id()).orElse(null);
            if (member == null) {
                em.persist(new Membership(Ids.id("mem"), org.id(), user.id(), null, Membership.Role.MEMBER, Ids.id("seat"), now));
            } else if (member.seat() == null) {
                member.giveSeat(Ids.id("seat"));
            }
        } else if (!Accounts.pending(em, org.id(), identity.login())) {
            em.persist(new Membership(Ids.id("mem"), org.id(), null, identity.login(), Membership.Role.MEMBER, Ids.id("seat"), now));
        }
        em.flush();
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
        org.putOnPlan(best.plan(), best.seats(), best.expiresAt(), best.state(), best.graceUntil());
        em.persist(new LicenseEvent(Ids.id("lev"), org.id(), best.plan(), best.seats(), best.expiresAt(),
                cause + " (" + best.state() + ")", "billing:" + provider, now));
        em.flush();
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
