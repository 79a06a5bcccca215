package dev.ccp.server.identity.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A refresh token, stored by its hash. Single use: {@code usedAt} is set when it is rotated. */
@Entity
@Table(name = "refresh_tokens")
public class RefreshToken {

    @Id
    @Column(name = "token_hash", length = 64)
    private String tokenHash;

    @Column(name = "family_id", length = 40, nullable = false)
    private String familyId;

    @Column(name = "parent_hash", length = 64)
    private String parentHash;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "used_at")
    private Instant usedAt;

    /** The answer this token's rotation gave, sealed under the token; see identity.control.SealedAnswer. */
    @Column(name = "answer_sealed", length = 4000)
    private String answerSealed;

    protected RefreshToken() {
    }

    public RefreshToken(String tokenHash, String familyId, String parentHash, Instant createdAt, Instant expiresAt) {
        this.tokenHash = tokenHash;
        this.familyId = familyId;
        this.parentHash = parentHash;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public String familyId() {
        return familyId;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Instant usedAt() {
        return usedAt;
    }

    public String answerSealed() {
        return answerSealed;
    }

    /** Marks this token used by the rotation that gave {@code sealedAnswer}. */
    public void rotated(Instant now, String sealedAnswer) {
        this.usedAt = now;
        this.answerSealed = sealedAnswer;
    }
}
