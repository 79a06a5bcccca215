package dev.ccp.sdk.internal;

import dev.ccp.sdk.CcpException;
import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * Tells the server, every {@link #EVERY}, that the runner carrying out a claimed run is alive, so
 * that a step waiting for a person or a long command is not taken for a runner that died. Failures
 * are logged, never thrown; a refused token ends the loop, since no later beat would be taken.
 */
final class RunnerHeartbeat extends Loop {

    private static final Log LOG = Log.of(RunnerHeartbeat.class);
    static final Duration EVERY = Duration.ofSeconds(10);

    private final RunCalls calls;

    RunnerHeartbeat(String runId, RunCalls calls) {
        super("ccp-runner-heartbeat-" + runId);
        this.calls = calls;
    }

    @Override
    Duration once() {
        try {
            calls.heartbeat();
        } catch (CcpException e) {
            if (closed()) {
                return null;
            }
            LOG.log(Level.WARNING, "the runner's heartbeat failed (" + e.kind() + "): " + e.getMessage());
            if (e.kind() == CcpException.Kind.UNAUTHORIZED) {
                return null;
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the runner's heartbeat failed unexpectedly", e);
        }
        return EVERY;
    }
}
