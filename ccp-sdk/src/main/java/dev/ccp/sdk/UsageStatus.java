package dev.ccp.sdk;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How the background recording of usage is doing. Recording never throws into the host for a
 * failure of its own: it reports it here, to {@link UsageListener}s and to {@link System.Logger}.
 *
 * @param recorded events accepted by {@link Usage#record} since the client started
 * @param written events committed to the store since the client started
 * @param dropped events refused because the in-memory buffer was full (the store kept failing or
 *     could not keep up)
 * @param lastError what last went wrong, or null
 * @param since when the state last changed
 */
public record UsageStatus(State state, long recorded, long written, long dropped, String lastError, Instant since) {

    public enum State {
        /** Events are written as they come. */
        RECORDING,
        /** The last write failed; events wait in memory (up to the buffer's size) and are retried. */
        FAILING,
        /** The client was closed; what was buffered has been written, or counted as dropped. */
        CLOSED
    }

    public UsageStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
    }

    public Optional<String> error() {
        return Optional.ofNullable(lastError);
    }
}
