package dev.ccp.server.billing.entity;

import dev.ccp.server.billing.control.Snapshot;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The newest snapshot the server holds of one provider subscription, and what caused it. */
@Entity
@Table(name = "subscriptions")
public class Subscription {

    @Id
    @Column(name = "id", length = 240)
    private String id;

    @Column(name = "provider", length = 16, nullable = false)
    private String provider;

    @Column(name = "provider_id", length = 200, nullable = false)
    private String providerId;

    @Column(name = "org_id", length = 40, nullable = false)
    private String orgId;

    @Column(name = "customer_id", length = 200)
    private String customerId;

    @Column(name = "buyer", length = 320)
    private String buyer;

    @Column(name = "status", length = 32, nullable = false)
    private String status;

    @Column(name = "plan", length = 40)
    private String plan;

    @Column(name = "seats")
    private Integer seats;

    @Column(name = "period_start")
    private Instant periodStart;

    @Column(name = "period_end")
    private Instant periodEnd;

    @Column(name = "cancel_at_period_end", nullable = false)
    private boolean cancelAtPeriodEnd;

    @Column(name = "ends_at")
    private Instant endsAt;

    @Column(name = "modified_at")
    private Instant modifiedAt;

    @Column(name = "event_at", nullable = false)
    private Instant eventAt;

    @Column(name = "cause", length = 300, nullable = false)
    private String cause;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Subscription() {
    }

    public Subscription(Snapshot s, String cause, Instant now) {
        this.id = key(s.provider(), s.subscriptionId());
        this.provider = s.provider();
        this.providerId = s.subscriptionId();
        replace(s, cause, now);
    }

    public static String key(String provider, String subscriptionId) {
        return provider + ":" + subscriptionId;
    }

    /** Takes a newer snapshot; the org stays the one the subscription was first bought for. */
    public void replace(Snapshot s, String cause, Instant now) {
        if (orgId == null) {
            orgId = s.orgId();
        }
        customerId = s.customerId() != null ? s.customerId() : customerId;
        buyer = s.buyer() != null ? s.buyer() : buyer;
        status = s.status();
        plan = s.plan();
        seats = s.seats();
        periodStart = s.periodStart();
        periodEnd = s.periodEnd();
        cancelAtPeriodEnd = s.cancelAtPeriodEnd();
        endsAt = s.endsAt();
        modifiedAt = s.modifiedAt();
        eventAt = s.eventAt();
        this.cause = cause.length() > 300 ? cause.substring(0, 300) : cause;
        updatedAt = now;
    }

    public Snapshot snapshot() {
        return new Snapshot(provider, providerId, orgId, customerId, buyer, status, plan, seats, periodStart, periodEnd,
                cancelAtPeriodEnd, endsAt, modifiedAt, eventAt);
    }

    public String orgId() {
        return orgId;
    }
}
