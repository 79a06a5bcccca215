package dev.ccp.server.identity.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A person. Known by an email address, a GitHub handle, or both (stored lower-case). */
@Entity
@Table(name = "users")
public class User {

    @Id
    @Column(name = "id", length = 40)
    private String id;

    @Column(name = "email", length = 320, unique = true)
    private String email;

    @Column(name = "github", length = 40, unique = true)
    private String github;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected User() {
    }

    public User(String id, String email, String github, Instant createdAt) {
        this.id = id;
        this.email = email;
        this.github = github;
        this.createdAt = createdAt;
    }

    public String id() {
        return id;
    }

    public String email() {
        return email;
    }

    public String github() {
        return github;
    }

    /** How the person is shown: the email, else the GitHub handle. */
    public String login() {
        return email != null ? email : github;
    }
}
