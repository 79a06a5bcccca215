package dev.ccp.sdk.internal;

import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.CcpException.Kind;
import dev.ccp.sdk.RunOptions;
import dev.ccp.spi.runs.ApprovalMode;
import dev.ccp.spi.wire.RunView;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A runner: claims runs queued on the server for its workspace and attaches a {@link LiveRun} to
 * each, every call made with the runner's token. That token is not an OAuth token: it is never
 * renewed and never stored here, and a 401 means the runner was revoked (or never registered), which
 * ends the run in hand on this machine and is thrown, in those words, from the next claim.
 */
public final class RunnerSession {

    public static final String REVOKED = "this runner's token was revoked or is unknown; register it again";
    private static final Set<String> SOURCES = Set.of("terminal", "editor", "web", "chat", "api");

    private final Engine engine;
    private final Api api;
    private final String token;
    private final Path dir;
    private final RunCalls calls;
    private volatile LiveRun current;
    private volatile boolean revoked;
    private volatile boolean closed;
    private Thread claiming;

    /**
     * @throws IllegalArgumentException when the token is blank or {@code dir} is not inside a git repository
     * @throws IllegalStateException when the client names no server
     */
    public RunnerSession(Engine engine, String token, Path dir) {
        if (token == null || token.isBlank() || token.strip().chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a runner token is one word, such as ccpr_…");
        }
        this.engine = engine;
        this.token = token.strip();
        this.dir = Git.of(dir.toAbsolutePath()).root();
        this.api = engine.api(engine.server().orElseThrow(() -> new IllegalStateException(
                "a runner needs a server: configure one with CcpClientBuilder.server")).toString());
        this.calls = new RunCalls(this::call);
    }

    public Path workspace() {
        return dir;
    }

    public boolean revoked() {
        return revoked;
    }

    /**
     * Claims the oldest queued run of the workspace and attaches to it; empty when none was queued
     * within {@code waitSeconds}, or when {@link #close()} interrupted the wait.
     *
     * @throws IllegalStateException when the run claimed before has not ended, or the session is closed
     * @throws CcpException {@link Kind#UNAUTHORIZED} when the runner was revoked or is unknown
     */
    public Optional<LiveRun> claim(int waitSeconds) {
        LiveRun before = current;
        if (before != null && !before.ended()) {
            throw new IllegalStateException("run " + before.id() + " has not ended: finish, fail or close it before claiming the next");
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the runner was closed");
            }
            claiming = Thread.currentThread();
        }
        RunView claimed;
        try {
            claimed = calls.claim(waitSeconds);
        } catch (CcpException e) {
            if (closed) {
                Thread.interrupted(); // the interrupt was for the wait that close() ended
                return Optional.empty();
            }
            throw e;
        } finally {
            synchronized (this) {
                claiming = null;
            }
        }
        if (claimed == null) {
            return Optional.empty();
        }
        LiveRun run = new LiveRun(engine, calls, options(claimed), claimed, new RunnerHeartbeat(claimed.id(), calls));
        current = run;
        return Optional.of(run);
    }

    /** The claimed run's title, approval and source as options; what this SDK does not know is read the strict way. */
    private RunOptions options(RunView claimed) {
        String title = claimed.title() == null || claimed.title().isBlank() ? "Run " + claimed.id() : claimed.title().strip();
        ApprovalMode approval;
        try {
            approval = claimed.approval() == null ? ApprovalMode.POLICY : ApprovalMode.parse(claimed.approval());
        } catch (IllegalArgumentException e) {
            approval = ApprovalMode.ALL;
        }
        return RunOptions.of(title.length() > 200 ? title.substring(0, 200) : title, dir)
                .withApproval(approval)
                .withSource(SOURCES.contains(claimed.source()) ? claimed.source() : "api");
    }

    /** Stops claiming: a claim waiting for a run returns empty. The run in hand is left as it is. */
    public void close() {
        Thread waiting;
        synchronized (this) {
            closed = true;
            waiting = claiming;
        }
        if (waiting != null && waiting != Thread.currentThread()) {
            // The JDK client gives up a send when its thread is interrupted.
            waiting.interrupt();
        }
    }

    /** A call with the runner's token: a 401 is never retried, since no other token would be taken. */
    private <T> T call(BiFunction<Api, String, T> call) {
        try {
            return call.apply(api, token);
        } catch (CcpException e) {
            if (e.kind() != Kind.UNAUTHORIZED) {
                throw e;
            }
            revoked = true;
            LiveRun run = current;
            if (run != null) {
                run.abandon(REVOKED);
            }
            throw new CcpException(Kind.UNAUTHORIZED, REVOKED, e.problem().orElse(null), e);
        }
    }
}
