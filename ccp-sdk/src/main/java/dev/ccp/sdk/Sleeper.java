package dev.ccp.sdk;

import java.time.Duration;

/**
 * Waits between device-login polls. Injected so that tests advance a fake clock instead of waiting,
 * and so that a host may wait on its own terms (a UI thread, a cancellable task).
 */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    /** The real one. */
    static Sleeper system() {
        return duration -> Thread.sleep(duration.toMillis());
    }
}
