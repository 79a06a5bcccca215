package dev.ccp.server.org.entity;

import dev.ccp.server.platform.database.ReadCache;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An org: who pays and who holds seats. The plan fields are the org's current license state; how it
 * got there is in the license events.
 */
@Entity
@EntityListeners(ReadCache.Watched.class)
@Table(name = "orgs")
public class Org {

    /** k-safety: as GitHub's Copilot metrics, a group needs five seats behind it. */
    public static final int DEFAULT_K = 5;
    /** Below three seats, subtraction between two people's views would single someone out. */
    public static final int MIN_K = 3;
    /** The plan every org starts on; the plans file must define it. */
    public static final String FIRST_PLAN = "free";

    @Id
    @Column(name = "id", length = 40)
    private String id;

    @Column(name = "slug", length = 64, nullable = false, unique = true)
    private String slug;

    @Column(name = "name", length = 200, nullable = false)
    private String name;

    @Column(name = "personal", nullable = false)
    private boolean personal;

    @Column(name = "plan", length = 40, nullable = false)
    private String plan;

    @Column(name = "seats")
    private Integer seats;

    @Column(name = "plan_expires_at")
    private Instant planExpiresAt;

    @Column(name = "grace_days", nullable = false)
    private int graceDays;

    @Column(name = "plan_state", length = 32, nullable = false)
    private String planState = "active";

    @Column(name = "grace_until")
    private Instant graceUntil;

    @Column(name = "k_safety", nullable = false)
    private int kSafety;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Org() {
    }

    public Org(String id, String slug, String name, boolean personal, String plan, Instant createdAt) {
        this.id = id;
        this.slug = slug;
        this.name = name;
        this.personal = personal;
        this.plan = plan;
        this.graceDays = 7;
        this.kSafety = DEFAULT_K;
        this.createdAt = createdAt;
    }

    public String id() {
        return id;
    }

    public String slug() {
        return slug;
    }

    public String name() {
        return name;
    }

    public boolean personal() {
        return personal;
    }

    public String plan() {
        return plan;
    }

    /** Seats bought or granted; null means the plan's default. */
    public Integer seats() {
        return seats;
    }

    public Instant planExpiresAt() {
        return planExpiresAt;
    }

    public int graceDays() {
        return graceDays;
    }

    public int kSafety() {
        return kSafety;
    }

    public void kSafety(int k) {
        if (k < MIN_K) {
            throw new IllegalArgumentException("k must be at least " + MIN_K);
        }
        this.kSafety = k;
    }

    public String planState() {
        return planState;
    }

    public Instant graceUntil() {
        return graceUntil;
    }

    /**
     * @param state      what members are told: {@code active}, {@code past_due}, {@code canceled}, …
     * @param graceUntil the end of a payment grace period, if the org is in one
     */
    public void putOnPlan(String plan, Integer seats, Instant expiresAt, String state, Instant graceUntil) {
        this.plan = plan;
        this.seats = seats;
        this.planExpiresAt = expiresAt;
        this.planState = state;
        this.graceUntil = graceUntil;
    }
}
