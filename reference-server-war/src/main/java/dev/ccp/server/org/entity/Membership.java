package dev.ccp.server.org.entity;

import dev.ccp.server.platform.database.ReadCache;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A person's place in an org. Before the person's first login it is pending: {@code userId} is null
 * and {@code pendingLogin} holds the email or GitHub handle that will claim it.
 */
@Entity
@EntityListeners(ReadCache.Watched.class)
@Table(name = "memberships")
public class Membership {

    public enum Role {
        OWNER, ADMIN, MEMBER;

        public boolean manages() {
            return this != MEMBER;
        }

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Id
    @Column(name = "id", length = 40)
    private String id;

    @Column(name = "org_id", length = 40, nullable = false)
    private String orgId;

    @Column(name = "user_id", length = 40)
    private String userId;

    @Column(name = "pending_login", length = 320)
    private String pendingLogin;

    @Enumerated(EnumType.STRING)
    @Column(name = "role", length = 16, nullable = false)
    private Role role;

    @Column(name = "seat", length = 40, unique = true)
    private String seat;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Membership() {
    }

    public Membership(String id, String orgId, String userId, String pendingLogin, Role role, String seat, Instant createdAt) {
        this.id = id;
        this.orgId = orgId;
        this.userId = userId;
        this.pendingLogin = pendingLogin;
        this.role = role;
        this.seat = seat;
        this.createdAt = createdAt;
    }

    public String id() {
        return id;
    }

    public String orgId() {
        return orgId;
    }

    public String userId() {
        return userId;
    }

    public String pendingLogin() {
        return pendingLogin;
    }

    public Role role() {
        return role;
    }

    public String seat() {
        return seat;
    }

    public boolean pending() {
        return userId == null;
    }

    /** Gives a membership without a seat the seat {@code seat}. */
    public void giveSeat(String seat) {
        if (this.seat != null) {
            throw new IllegalStateException("membership " + id + " already holds seat " + this.seat);
        }
        this.seat = seat;
    }

    /** Takes the seat back; the member keeps the free entitlements. */
    public void takeSeat() {
        this.seat = null;
    }

    public void role(Role role) {
        this.role = role;
    }

    public void claim(String userId) {
        this.userId = userId;
        this.pendingLogin = null;
    }
}
