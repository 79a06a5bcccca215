package dev.ccp.server.license.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One change of an org's license state, with its cause; never updated, only appended. */
@Entity
@Table(name = "license_events")
public class LicenseEvent {

    @Id
    @Column(name = "id", length = 40)
    private String id;

    @Column(name = "org_id", length = 40, nullable = false)
    private String orgId;

    @Column(name = "plan", length = 40, nullable = false)
    private String plan;

    @Column(name = "seats")
    private Integer seats;

    @Column(name = "expires_at")
    private Instant expiresAt;

    @Column(name = "cause", length = 500, nullable = false)
    private String cause;

    @Column(name = "actor", length = 100, nullable = false)
    private String actor;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected LicenseEvent() {
    }

    public LicenseEvent(String id, String orgId, String plan, Integer seats, Instant expiresAt, String cause, String actor, Instant createdAt) {
        this.id = id;
        this.orgId = orgId;
        this.plan = plan;
        this.seats = seats;
        this.expiresAt = expiresAt;
        this.cause = cause;
        this.actor = actor;
        this.createdAt = createdAt;
    }

    public String id() {
        return id;
    }

    public String plan() {
        return plan;
    }

    public Integer seats() {
        return seats;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public String cause() {
        return cause;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
