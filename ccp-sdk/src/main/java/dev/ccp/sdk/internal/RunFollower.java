package dev.ccp.sdk.internal;

import dev.ccp.sdk.CcpException;
import dev.ccp.spi.wire.RunEvents;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Set;

/**
 * Follows a mirrored run's events with a long poll, so that a decision made on the web, in an editor
 * or in chat reaches the run in about the time one answer takes. An answer that was not held is
 * followed by a pause (a proxy that does not keep requests open must not turn this into a busy
 * loop); failures back off as the policy poll does. Nothing here throws into the host.
 */
final class RunFollower extends Loop {

    private static final Log LOG = Log.of(RunFollower.class);
    /** How long the server may hold a request. */
    static final int WAIT_SECONDS = 30;
    private static final Set<String> ENDED = Set.of("succeeded", "failed", "cancelled");

    private final LiveRun run;
    private final RunCalls calls;
    private long after;
    private int failures;

    RunFollower(LiveRun run, RunCalls calls, long after) {
        super("ccp-run-" + run.id());
        this.run = run;
        this.calls = calls;
        this.after = after;
    }

    @Override
    Duration once() {
        long sent = System.nanoTime();
        try {
            RunEvents events = calls.events(run.id(), after, WAIT_SECONDS);
            failures = 0;
            after = Math.max(after, events.next());
            boolean any = events.events() != null && !events.events().isEmpty();
            if (any && events.events().stream().anyMatch(e -> "decided".equals(e.type()))) {
                run.refresh();
            }
            if (events.state() != null && ENDED.contains(events.state())) {
                run.endedOnServer(events.state());
                return null;
            }
            return any || System.nanoTime() - sent >= PolicyPoller.NOT_HELD.toNanos() ? Duration.ZERO : Duration.ofSeconds(5);
        } catch (CcpException e) {
            if (closed()) {
                return null;
            }
            failures++;
            Duration pause = PolicyPoller.pause(failures, e.kind());
            LOG.log(Level.DEBUG, "following run " + run.id() + " failed (" + e.kind() + "), next in " + pause + ": " + e.getMessage());
            return pause;
        } catch (RuntimeException e) {
            failures++;
            LOG.log(Level.WARNING, "following run " + run.id() + " failed unexpectedly", e);
            return PolicyPoller.pause(failures, CcpException.Kind.SERVER_ERROR);
        }
    }
}
