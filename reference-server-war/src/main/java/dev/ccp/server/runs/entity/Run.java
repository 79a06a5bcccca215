package dev.ccp.server.runs.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Locale;

/**
 * A run of an org: its workspace, who started it, where it stands, and how many steps and events it
 * has. The counters give the next step its number and the next event its sequence; two writers
 * that both take the same number collide on the key of the row they insert, and one of them runs again.
 */
@Entity
@Table(name = "runs")
public class Run {

    /** Where a run stands; the last three are final. */
    public enum State {
        QUEUED, RUNNING, WAITING, SUCCEEDED, FAILED, CANCELLED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean isFinal() {
            return this == SUCCEEDED || this == FAILED || this == CANCELLED;
        }
    }

    @Id
    @Column(name = "id", length = 40)
    private String id;

    @Column(name = "org_id", length = 40, nullable = false)
    private String orgId;

    @Column(name = "title", length = 200, nullable = false)
    private String title;

    @Column(name = "state", length = 16, nullable = false)
    private String state;

    @Column(name = "approval", length = 8, nullable = false)
    private String approval;

    @Column(name = "workspace_name", length = 200, nullable = false)
    private String workspaceName;

    @Column(name = "workspace_root", length = 1024)
    private String workspaceRoot;

    @Column(name = "workspace_branch", length = 255)
    private String workspaceBranch;

    @Column(name = "workspace_head", length = 64)
    private String workspaceHead;

    @Column(name = "started_by", length = 40, nullable = false)
    private String startedBy;

    @Column(name = "source", length = 16, nullable = false)
    private String source;

    @Column(name = "recipe", length = 200)
    private String recipe;

    @Column(name = "phase", length = 200)
    private String phase;

    @Column(name = "message", length = 2000)
    private String message;

    @Column(name = "commit_hash", length = 64)
    private String commitHash;

    @Column(name = "steps", nullable = false)
    private int steps;

    @Column(name = "seq", nullable = false)
    private long seq;

    @Column(name = "runner_id", length = 40)
    private String runnerId;

    @Column(name = "heartbeat_at")
    private Instant heartbeatAt;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Run() {
    }

    public Run(String id, String orgId, String title, State state, String approval, String workspaceName, String workspaceRoot,
            String workspaceBranch, String workspaceHead, String startedBy, String source, String recipe, Instant now) {
        this.id = id;
        this.orgId = orgId;
        this.title = title;
        this.state = state.name();
        this.approval = approval;
        this.workspaceName = workspaceName;
        this.workspaceRoot = workspaceRoot;
        this.workspaceBranch = workspaceBranch;
        this.workspaceHead = workspaceHead;
        this.startedBy = startedBy;
        this.source = source;
        this.recipe = recipe;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** The number of the next event, counted by this run. */
    public long nextSeq(Instant now) {
        updatedAt = now;
        return ++seq;
    }

    /** The number of the next step. */
    public int nextStep() {
        return ++steps;
    }

    public void moveTo(State next) {
        this.state = next.name();
    }

    public void progress(String phase, String message) {
        this.phase = phase;
        this.message = message;
    }

    public void finish(State end, String commit, String message) {
        this.state = end.name();
        this.commitHash = commit;
        if (message != null) {
            this.message = message;
        }
    }

    /** Heard from the runner carrying it out. */
    public void heartbeat(Instant now) {
        this.heartbeatAt = now;
    }

    public String runnerId() {
        return runnerId;
    }

    public Instant heartbeatAt() {
        return heartbeatAt;
    }

    /** The key of the queue of runs this run belongs to: its org and workspace. */
    public String queue() {
        return queue(orgId, workspaceName);
    }

    public static String queue(String orgId, String workspace) {
        return orgId + ":" + workspace;
    }

    public String id() {
        return id;
    }

    public String orgId() {
        return orgId;
    }

    public String title() {
        return title;
    }

    public State state() {
        return State.valueOf(state);
    }

    public String approval() {
        return approval;
    }

    public String workspaceName() {
        return workspaceName;
    }

    public String workspaceRoot() {
        return workspaceRoot;
    }

    public String workspaceBranch() {
        return workspaceBranch;
    }

    public String workspaceHead() {
        return workspaceHead;
    }

    public String startedBy() {
        return startedBy;
    }

    public String source() {
        return source;
    }

    public String recipe() {
        return recipe;
    }

    public String phase() {
        return phase;
    }

    public String message() {
        return message;
    }

    public String commitHash() {
        return commitHash;
    }

    public int steps() {
        return steps;
    }

    public long seq() {
        return seq;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
