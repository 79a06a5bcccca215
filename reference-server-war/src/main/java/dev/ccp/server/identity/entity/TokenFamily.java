package dev.ccp.server.identity.entity;

import dev.ccp.server.platform.database.ReadCache;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * All tokens descended from one login. Revoking the family (logout, or reuse of a rotated refresh
 * token) ends every access and refresh token in it.
 */
@Entity
@EntityListeners(ReadCache.Watched.class)
@Table(name = "token_families")
public class TokenFamily {

    @Id
    @Column(name = "id", length = 40)
    private String id;

    @Column(name = "user_id", length = 40, nullable = false)
    private String userId;

    @Column(name = "org_id", length = 40, nullable = false)
    private String orgId;

    @Column(name = "client_id", length = 64, nullable = false)
    private String clientId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @Column(name = "revoke_reason", length = 100)
    private String revokeReason;

    protected TokenFamily() {
    }

    public TokenFamily(String id, String userId, String orgId, String clientId, Instant createdAt) {
        this.id = id;
        this.userId = userId;
        this.orgId = orgId;
        this.clientId = clientId;
        this.createdAt = createdAt;
    }

    public String id() {
        return id;
    }

    public String userId() {
        return userId;
    }

    public String orgId() {
        return orgId;
    }

    public String clientId() {
        return clientId;
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    public String revokeReason() {
        return revokeReason;
    }

    public void revoke(Instant now, String reason) {
        if (revokedAt == null) {
            this.revokedAt = now;
            this.revokeReason = reason;
        }
    }
}
