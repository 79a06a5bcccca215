package dev.ccp.server.web.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A signed-in browser, stored by the hash of its cookie's secret. */
@Entity
@Table(name = "web_sessions")
public class WebSession {

    @Id
    @Column(name = "id_hash", length = 64)
    private String idHash;

    @Column(name = "user_id", length = 40, nullable = false)
    private String userId;

    @Column(name = "org_id", length = 40, nullable = false)
    private String orgId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    protected WebSession() {
    }

    public WebSession(String idHash, String userId, String orgId, Instant createdAt, Instant expiresAt) {
        this.idHash = idHash;
        this.userId = userId;
        this.orgId = orgId;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public String userId() {
        return userId;
    }

    public String orgId() {
        return orgId;
    }

    public Instant expiresAt() {
        return expiresAt;
    }
}
