package dev.ccp.server.billing.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A webhook delivery already processed: a second delivery of the same id changes nothing. */
@Entity
@Table(name = "billing_events")
public class BillingEvent {

    /** The provider, a colon, and its event id. */
    @Id
    @Column(name = "id", length = 240)
    private String id;

    @Column(name = "type", length = 64, nullable = false)
    private String type;

    @Column(name = "outcome", length = 300, nullable = false)
    private String outcome;

    @Column(name = "received_at", nullable = false)
    private Instant receivedAt;

    protected BillingEvent() {
    }

    public BillingEvent(String provider, String eventId, String type, String outcome, Instant receivedAt) {
        this.id = key(provider, eventId);
        this.type = type.length() > 64 ? type.substring(0, 64) : type;
        this.outcome = outcome.length() > 300 ? outcome.substring(0, 300) : outcome;
        this.receivedAt = receivedAt;
    }

    public static String key(String provider, String eventId) {
        return provider + ":" + eventId;
    }
}
