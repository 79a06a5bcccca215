package dev.ccp.server.runs.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A machine that carries out the runs queued for one workspace of an org, known by its token's hash. */
@Entity
@Table(name = "runners")
public class Runner {

    @Id
    @Column(name = "id", length = 40)
    private String id;

    @Column(name = "org_id", length = 40, nullable = false)
    private String orgId;

    @Column(name = "workspace", length = 200, nullable = false)
    private String workspace;

    @Column(name = "name", length = 200, nullable = false)
    private String name;

    @Column(name = "token_hash", length = 64, nullable = false, unique = true)
    private String tokenHash;

    @Column(name = "created_by", length = 40, nullable = false)
    private String createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "last_seen_at")
    private Instant lastSeenAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected Runner() {
    }

    public Runner(String id, String orgId, String workspace, String name, String tokenHash, String createdBy, Instant now) {
        this.id = id;
        this.orgId = orgId;
        this.workspace = workspace;
        this.name = name;
        this.tokenHash = tokenHash;
        this.createdBy = createdBy;
        this.createdAt = now;
    }

    public void seen(Instant now) {
        this.lastSeenAt = now;
    }

    public void revoke(Instant now) {
        this.revokedAt = now;
    }

    public String id() {
        return id;
    }

    public String orgId() {
        return orgId;
    }

    public String workspace() {
        return workspace;
    }

    public String name() {
        return name;
    }

    public String createdBy() {
        return createdBy;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant lastSeenAt() {
        return lastSeenAt;
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}
