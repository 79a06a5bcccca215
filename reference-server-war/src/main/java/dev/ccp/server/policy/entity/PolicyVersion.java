package dev.ccp.server.policy.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One published version of an org's policy in one channel. Never changed or deleted: it is the history. */
@Entity
@Table(name = "policy_versions")
public class PolicyVersion {

    @Id
    @Column(name = "id", length = 120)
    private String id;

    @Column(name = "org_id", length = 40, nullable = false)
    private String orgId;

    @Column(name = "channel", length = 8, nullable = false)
    private String channel;

    @Column(name = "version", nullable = false)
    private long version;

    /** The canonical JSON of the document, as signed. */
    @Column(name = "document", length = 200_000, nullable = false)
    private String document;

    /** SHA-256 of {@link #document}, hex. */
    @Column(name = "digest", length = 64, nullable = false)
    private String digest;

    @Column(name = "published_by", length = 320, nullable = false)
    private String publishedBy;

    @Column(name = "published_at", nullable = false)
    private Instant publishedAt;

    @Column(name = "promoted_from")
    private Long promotedFrom;

    protected PolicyVersion() {
    }

    public PolicyVersion(String orgId, String channel, long version, String document, String digest, String publishedBy,
            Instant publishedAt, Long promotedFrom) {
        this.id = key(orgId, channel, version);
        this.orgId = orgId;
        this.channel = channel;
        this.version = version;
        this.document = document;
        this.digest = digest;
        this.publishedBy = publishedBy;
        this.publishedAt = publishedAt;
        this.promotedFrom = promotedFrom;
    }

    public static String key(String orgId, String channel, long version) {
        return orgId + ":" + channel + ":" + version;
    }

    public String channel() {
        return channel;
    }

    public long version() {
        return version;
    }

    public String document() {
        return document;
    }

    public String digest() {
        return digest;
    }

    public String publishedBy() {
        return publishedBy;
    }

    public Instant publishedAt() {
        return publishedAt;
    }

    public Long promotedFrom() {
        return promotedFrom;
    }
}
