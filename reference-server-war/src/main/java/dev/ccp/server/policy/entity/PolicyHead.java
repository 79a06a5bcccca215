package dev.ccp.server.policy.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import dev.ccp.spi.policy.PolicyClaims;
import dev.ccp.spi.policy.PolicyPackCodec;
import java.time.Instant;

/**
 * The signed pack a channel serves now. Rewritten by every publish and every re-signing, each time
 * with a new etag, which is what waiting clients and the other nodes of a cluster watch.
 */
@Entity
@Table(name = "policy_heads")
public class PolicyHead {

    @Id
    @Column(name = "id", length = 60)
    private String id;

    @Column(name = "org_id", length = 40, nullable = false)
    private String orgId;

    @Column(name = "channel", length = 8, nullable = false)
    private String channel;

    @Column(name = "version", nullable = false)
    private long version;

    @Column(name = "etag", length = 80, nullable = false)
    private String etag;

    @Column(name = "pack", length = 400_000, nullable = false)
    private String pack;

    @Column(name = "issued_at", nullable = false)
    private Instant issuedAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    protected PolicyHead() {
    }

    public PolicyHead(String orgId, String channel) {
        this.id = key(orgId, channel);
        this.orgId = orgId;
        this.channel = channel;
    }

    public static String key(String orgId, String channel) {
        return orgId + ":" + channel;
    }

    /** Serves {@code pack}, signed over {@code claims}, from now on. */
    public void serve(PolicyClaims claims, String pack) {
        this.version = claims.version();
        this.pack = pack;
        this.issuedAt = claims.issuedAt();
        this.expiresAt = claims.expiresAt();
        this.etag = PolicyPackCodec.etag(claims);
    }

    public String id() {
        return id;
    }

    public long version() {
        return version;
    }

    public String etag() {
        return etag;
    }

    public String pack() {
        return pack;
    }

    public Instant expiresAt() {
        return expiresAt;
    }
}
