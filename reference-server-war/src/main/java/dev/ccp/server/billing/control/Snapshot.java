package dev.ccp.server.billing.control;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What a billing provider said about one subscription at one moment, from a webhook or from asking
 * the provider. Snapshots of one subscription are ordered by the provider's own clock, never by
 * arrival, so any order of the same deliveries ends with the same newest snapshot.
 *
 * @param provider        {@code polar} or {@code stripe}
 * @param subscriptionId  the provider's subscription id
 * @param orgId           the org the purchase was made for, when the payload names it
 * @param customerId      the provider's customer id
 * @param buyer           who bought it: the GitHub handle given at checkout, else the paying
 *                        customer's email; null when the payload has neither
 * @param status          the provider's status, or {@code refunded} for a refunded order
 * @param plan            the plan the product or price maps to; null when it maps to none
 * @param seats           seats bought, when the provider says
 * @param periodStart     start of the current billing period
 * @param periodEnd       end of the current billing period
 * @param cancelAtPeriodEnd whether the subscription ends at the period's end
 * @param endsAt          when a canceled subscription ends, when the provider says
 * @param modifiedAt      the provider's last change to the subscription, the first ordering key
 * @param eventAt         when the provider sent the event (or answered), the second ordering key
 */
public record Snapshot(String provider, String subscriptionId, String orgId, String customerId, String buyer,
        String status, String plan, Integer seats, Instant periodStart, Instant periodEnd, boolean cancelAtPeriodEnd,
        Instant endsAt, Instant modifiedAt, Instant eventAt) {

    /** Statuses that end access at once, whatever the period says. */
    static final List<String> ENDED = List.of("revoked", "unpaid", "incomplete_expired", "refunded", "ended");

    public Snapshot {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(subscriptionId, "subscriptionId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(eventAt, "eventAt");
    }

    /**
     * Newest last: by the provider's modification time (a snapshot without one counts as of its
     * event), then the event time; for a tie, the more final status wins, then the later period
     * end, so the order is total and no arrival order can change the outcome.
     */
    public static final Comparator<Snapshot> BY_AGE = Comparator.comparing(Snapshot::version)
            .thenComparing(Snapshot::eventAt)
            .thenComparingInt(Snapshot::finality)
            .thenComparing(Snapshot::periodEnd, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Snapshot::status);

    public Instant version() {
        return modifiedAt != null ? modifiedAt : eventAt;
    }

    public boolean newerThan(Snapshot other) {
        return other == null || BY_AGE.compare(this, other) > 0;
    }

    private int finality() {
        if (ENDED.contains(status)) {
            return 3;
        }
        return switch (status) {
            case "canceled" -> 2;
            case "past_due" -> 1;
            default -> 0;
        };
    }

    /** The same snapshot for an org found elsewhere (the customer's external id, or an earlier event). */
    public Snapshot forOrg(String org) {
        return new Snapshot(provider, subscriptionId, org, customerId, buyer, status, plan, seats, periodStart, periodEnd,
                cancelAtPeriodEnd, endsAt, modifiedAt, eventAt);
    }
}
