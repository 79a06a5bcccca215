package dev.ccp.server.identity.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One RFC 8628 device authorization, from request to the token it was exchanged for. */
@Entity
@Table(name = "device_grants")
public class DeviceGrant {

    public enum Status { PENDING, APPROVED, DENIED, USED }

    @Id
    @Column(name = "id", length = 40)
    private String id;

    @Column(name = "device_code_hash", length = 64, nullable = false, unique = true)
    private String deviceCodeHash;

    @Column(name = "user_code", length = 8, nullable = false)
    private String userCode;

    @Column(name = "client_id", length = 64, nullable = false)
    private String clientId;

    @Column(name = "scope", length = 200)
    private String scope;

    @Column(name = "requested_org", length = 64)
    private String requestedOrg;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", length = 16, nullable = false)
    private Status status;

    @Column(name = "interval_seconds", nullable = false)
    private int intervalSeconds;

    @Column(name = "last_polled_at")
    private Instant lastPolledAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "user_id", length = 40)
    private String userId;

    @Column(name = "org_id", length = 40)
    private String orgId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected DeviceGrant() {
    }

    public DeviceGrant(String id, String deviceCodeHash, String userCode, String clientId, String scope,
            String requestedOrg, int intervalSeconds, Instant createdAt, Instant expiresAt) {
        this.id = id;
        this.deviceCodeHash = deviceCodeHash;
        this.userCode = userCode;
        this.clientId = clientId;
        this.scope = scope;
        this.requestedOrg = requestedOrg;
        this.status = Status.PENDING;
        this.intervalSeconds = intervalSeconds;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public String id() {
        return id;
    }

    public String userCode() {
        return userCode;
    }

    public String clientId() {
        return clientId;
    }

    public String scope() {
        return scope;
    }

    public String requestedOrg() {
        return requestedOrg;
    }

    public Status status() {
        return status;
    }

    public int intervalSeconds() {
        return intervalSeconds;
    }

    public Instant lastPolledAt() {
        return lastPolledAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public String userId() {
        return userId;
    }

    public String orgId() {
        return orgId;
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public void polled(Instant now) {
        this.lastPolledAt = now;
    }

    public void slowDown() {
        this.intervalSeconds += 5;
    }

    public void approve(String userId, String orgId) {
        this.status = Status.APPROVED;
        this.userId = userId;
        this.orgId = orgId;
    }

    public void deny() {
        this.status = Status.DENIED;
    }

    public void used() {
        this.status = Status.USED;
    }
}
