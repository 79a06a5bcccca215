package dev.ccp.sdk;

import dev.ccp.sdk.internal.RunnerSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A machine that carries out runs queued on the server (from the web, chat or the API) in one git
 * workspace, with a runner token that an owner or admin {@linkplain Runs#registerRunner registered}.
 * Each {@linkplain #claim claimed} run is a {@link Run} like one started here, except that the server
 * started it and alone decides its steps; it is reported with the runner's token, and a heartbeat
 * tells the server every 10 s that the runner is alive until the run ends.
 *
 * <pre>{@code
 * Runner runner = ccp.runs().runner(token, workspace);
 * while (true) {
 *     Optional<Run> claimed = runner.claim(Duration.ofSeconds(30));
 *     if (claimed.isPresent()) {
 *         try (Run run = claimed.get()) {
 *             carryOut(run.view().recipe(), run);   // propose, await, carryOut, then finish() or fail(…)
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>The token is not a login: it is never renewed or stored by the SDK. A 401 means the runner was
 * revoked, or never registered on this server: the run in hand ends failed on this machine (nothing
 * more is reported) and the next {@link #claim} throws {@link CcpException.Kind#UNAUTHORIZED} saying
 * so. A process that stops while it carries out a run leaves that run to the server, which fails it
 * once it has not heard from the runner for a while. Thread-safe.
 */
public final class Runner implements AutoCloseable {

    private final RunnerSession session;

    Runner(RunnerSession session) {
        this.session = session;
    }

    /** The root of the git workspace the runner carries out runs in. */
    public Path workspace() {
        return session.workspace();
    }

    /**
     * Claims the oldest run queued for the runner's workspace, waiting up to {@code wait} (at most
     * 60 s) for one; empty when none came, or when {@link #close()} ended the wait. The run's title,
     * approval, workspace and {@linkplain dev.ccp.spi.wire.RunView#recipe() recipe} are in its
     * {@link Run#view() view}.
     *
     * @throws IllegalStateException when the run claimed before has not ended, or the runner was closed
     * @throws CcpException {@link CcpException.Kind#UNAUTHORIZED} when the runner was revoked or is
     *     unknown; {@link CcpException.Kind#SERVER_UNREACHABLE} and the like when the claim failed
     */
    public Optional<Run> claim(Duration wait) {
        long seconds = Objects.requireNonNull(wait, "wait").toSeconds();
        if (seconds < 0 || seconds > 60) {
            throw new IllegalArgumentException("wait must be between 0 and 60 seconds: " + wait);
        }
        return session.claim((int) seconds).map(Run::new);
    }

    /** Whether the server refused the runner's token: it was revoked, or is unknown. */
    public boolean revoked() {
        return session.revoked();
    }

    /** Stops claiming, ending a claim that waits. A run in hand is left to its own {@link Run#close()}. */
    @Override
    public void close() {
        session.close();
    }
}
