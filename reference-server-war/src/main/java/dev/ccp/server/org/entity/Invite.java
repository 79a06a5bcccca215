package dev.ccp.server.org.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An invitation to an org: to a login (an email address or GitHub handle, claimed at that person's
 * next sign-in) or as a link whose single-use token is kept only as its hash. Used, revoked or
 * expired, it invites no one.
 */
@Entity
@Table(name = "invites")
public class Invite {

    /** Where an invite stands. */
    public enum State {
        OPEN, USED, REVOKED, EXPIRED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Id
    @Column(name = "id", length = 40)
    private String id;

    @Column(name = "org_id", length = 40, nullable = false)
    private String orgId;

    @Column(name = "login", length = 320)
    private String login;

    @Column(name = "token_hash", length = 64, unique = true)
    private String tokenHash;

    @Enumerated(EnumType.STRING)
    @Column(name = "role", length = 16, nullable = false)
    private Membership.Role role;

    @Column(name = "seat", nullable = false)
    private boolean seat;

    @Column(name = "created_by", length = 40, nullable = false)
    private String createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "used_at")
    private Instant usedAt;

    @Column(name = "used_by", length = 40)
    private String usedBy;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected Invite() {
    }

    /**
     * @param login     who is invited, or null for a link
     * @param tokenHash the hash of the link's token, or null for a login
     */
    public Invite(String id, String orgId, String login, String tokenHash, Membership.Role role, boolean seat,
            String createdBy, Instant createdAt, Instant expiresAt) {
        if ((login == null) == (tokenHash == null)) {
            throw new IllegalArgumentException("an invite is to a login or a link, not both or neither");
        }
        this.id = id;
        this.orgId = orgId;
        this.login = login;
        this.tokenHash = tokenHash;
        this.role = role;
        this.seat = seat;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public String id() {
        return id;
    }

    public String orgId() {
        return orgId;
    }

    /** Who is invited; null for a link. */
    public String login() {
        return login;
    }

    public boolean link() {
        return tokenHash != null;
    }

    public Membership.Role role() {
        return role;
    }

    public boolean seat() {
        return seat;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public State state(Instant now) {
        if (usedAt != null) {
            return State.USED;
        }
        if (revokedAt != null) {
            return State.REVOKED;
        }
        return now.isBefore(expiresAt) ? State.OPEN : State.EXPIRED;
    }

    public void use(String userId, Instant now) {
        this.usedBy = userId;
        this.usedAt = now;
    }

    public void revoke(Instant now) {
        this.revokedAt = now;
    }

    /** Sends it again: a link gets a new token (the old one stops working), and either gets a new expiry. */
    public void renew(String newTokenHash, Instant newExpiry) {
        if (link()) {
            this.tokenHash = newTokenHash;
        }
        this.expiresAt = newExpiry;
    }
}
