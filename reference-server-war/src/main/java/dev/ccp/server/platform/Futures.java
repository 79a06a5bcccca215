package dev.ccp.server.platform;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting on work a start hands to a second thread, so that its failure surfaces as if done inline. */
public final class Futures {

    private Futures() {
    }

    /**
     * The result of {@code work}, waiting for it; its own unchecked failure is thrown as it is.
     *
     * @param what what the work is, for the message when the wait is interrupted
     */
    public static <T> T join(Future<T> work, String what) {
        try {
            return work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(what + " failed", e.getCause());
        }
    }
}
