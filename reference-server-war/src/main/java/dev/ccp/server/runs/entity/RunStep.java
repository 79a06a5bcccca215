package dev.ccp.server.runs.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Locale;

/**
 * One step of a run. What it proposes ({@code body}: files, their content before, argv, text) is
 * JSON written once; its decision is written once too, by {@code Runs.decide}'s conditional update.
 */
@Entity
@Table(name = "run_steps")
public class RunStep {

    /** Where a step stands. */
    public enum State {
        WAITING, READY, REJECTED, DENIED, DONE, FAILED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Id
    @Column(name = "id", length = 60)
    private String id;

    @Column(name = "run_id", length = 40, nullable = false)
    private String runId;

    @Column(name = "n", nullable = false)
    private int n;

    @Column(name = "kind", length = 8, nullable = false)
    private String kind;

    @Column(name = "body", length = 8_000_000, nullable = false)
    private String body;

    @Column(name = "verdict", length = 16, nullable = false)
    private String verdict;

    @Column(name = "reason", length = 2000, nullable = false)
    private String reason;

    @Column(name = "state", length = 16, nullable = false)
    private String state;

    @Column(name = "decision", length = 8)
    private String decision;

    @Column(name = "decided_by", length = 40)
    private String decidedBy;

    @Column(name = "decided_at")
    private Instant decidedAt;

    @Column(name = "decided_via", length = 16)
    private String decidedVia;

    @Column(name = "edited", length = 8_000_000)
    private String edited;

    @Column(name = "exit_code")
    private Integer exitCode;

    @Column(name = "output", length = 65_536)
    private String output;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected RunStep() {
    }

    public RunStep(String runId, int n, String kind, String body, String verdict, String reason, State state, Instant now) {
        this.id = key(runId, n);
        this.runId = runId;
        this.n = n;
        this.kind = kind;
        this.body = body;
        this.verdict = verdict;
        this.reason = reason;
        this.state = state.name();
        this.createdAt = now;
    }

    public static String key(String runId, int n) {
        return runId + ":" + n;
    }

    public void carriedOut(State end, Integer exitCode, String output) {
        this.state = end.name();
        this.exitCode = exitCode;
        this.output = output;
    }

    public String runId() {
        return runId;
    }

    public int n() {
        return n;
    }

    public String kind() {
        return kind;
    }

    public String body() {
        return body;
    }

    public String verdict() {
        return verdict;
    }

    public String reason() {
        return reason;
    }

    public State state() {
        return State.valueOf(state);
    }

    public String decision() {
        return decision;
    }

    public String decidedBy() {
        return decidedBy;
    }

    public Instant decidedAt() {
        return decidedAt;
    }

    public String decidedVia() {
        return decidedVia;
    }

    public String edited() {
        return edited;
    }

    public Integer exitCode() {
        return exitCode;
    }

    public String output() {
        return output;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
