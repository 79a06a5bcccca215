package dev.ccp.sdk.internal;

import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.PolicyReload;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keeps one long poll open to the server on a daemon thread, so that a publish reaches the host in
 * about the time one answer takes. After a new pack the next poll waits a random 0.5 to 3 s: every
 * client of the org got the pack at the same moment, and a server that answered them all at once
 * should not get all their next requests at once too. Failures pause the loop: 1 s doubling to 60 s with full jitter
 * (so clients cut off together do not return together), five minutes when only a person can fix it
 * (logged out, removed, keys changed). Nothing here throws into the host.
 */
final class PolicyPoller extends Loop {

    private static final Log LOG = Log.of(PolicyPoller.class);
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration MAX_PAUSE = Duration.ofSeconds(60);
    static final Duration PERSON_NEEDED = Duration.ofMinutes(5);
    /** The spread of the next poll after a new pack. */
    static final Duration SPREAD_MIN = Duration.ofMillis(500);
    static final Duration SPREAD_MAX = Duration.ofSeconds(3);
    /** A 304 quicker than this was not held: some proxy in between does not keep requests open. */
    static final Duration NOT_HELD = Duration.ofSeconds(1);

    private final PolicyEngine engine;
    private final int waitSeconds;
    private int failures;

    PolicyPoller(PolicyEngine engine, Duration wait) {
        super("ccp-policy-" + engine.channel());
        this.engine = engine;
        this.waitSeconds = (int) Math.max(1, wait.toSeconds());
    }

    @Override
    Duration once() {
        long sent = System.nanoTime();
        try {
            PolicyReload reload = engine.fetch(waitSeconds);
            failures = 0;
            if (reload.changed()) {
                return Duration.ofMillis(ThreadLocalRandom.current().nextLong(SPREAD_MIN.toMillis(), SPREAD_MAX.toMillis() + 1));
            }
            return System.nanoTime() - sent >= NOT_HELD.toNanos() ? Duration.ZERO : Duration.ofSeconds(5);
        } catch (CcpException e) {
            failures++;
            Duration pause = pause(failures, e.kind());
            LOG.log(Level.DEBUG, "policy poll failed (" + e.kind() + "), next in " + pause + ": " + e.getMessage());
            return pause;
        } catch (RuntimeException e) {
            failures++;
            LOG.log(Level.WARNING, "policy poll failed unexpectedly", e);
            return pause(failures, CcpException.Kind.SERVER_ERROR);
        }
    }

    static Duration pause(int failures, CcpException.Kind kind) {
        return switch (kind) {
            case NOT_LOGGED_IN, UNAUTHORIZED, FORBIDDEN, KEY_CHANGED -> PERSON_NEEDED;
            default -> {
                long ceiling = Math.min(MAX_PAUSE.toMillis(), FIRST_PAUSE.toMillis() << Math.min(failures - 1, 20));
                yield Duration.ofMillis(Math.max(100, ThreadLocalRandom.current().nextLong(ceiling + 1)));
            }
        };
    }
}
