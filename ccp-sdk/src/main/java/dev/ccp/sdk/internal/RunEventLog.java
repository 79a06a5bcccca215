package dev.ccp.sdk.internal;

import dev.ccp.spi.wire.RunEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened to a run on this machine, numbered from 1 in the order it happened, in the shape of
 * the server's events: an editor on this machine follows a run that only this machine knows, or
 * learns of a decision before the server has passed it on. A reader may wait for the next event.
 */
final class RunEventLog {

    /** As many as the server answers at once. */
    static final int MOST = 500;

    private final Clock clock;
    private final List<RunEvent> events = new ArrayList<>();
    /** The run's state as the last event said it; a {@code state} event is added only when it changes. */
    private String state;

    RunEventLog(Clock clock) {
        this.clock = clock;
    }

    synchronized void add(String type, Integer step, String eventState, String message) {
        events.add(new RunEvent(events.size() + 1L, clock.instant(), type, step, eventState, message));
        if (step == null) {
            state = eventState;
        }
        notifyAll();
    }

    /** Adds a {@code state} event when the run's state is not the one the log last said. */
    synchronized void state(String now, String message) {
        if (!now.equals(state)) {
            add("state", null, now, message);
        }
    }

    /** The last event's number; 0 while there is none. */
    synchronized long last() {
        return events.size();
    }

    /**
     * The events after {@code after}, oldest first, waiting up to {@code waitNanos} until there is
     * one; empty when none came in time or the thread was interrupted (which stays set).
     */
    synchronized List<RunEvent> after(long after, long waitNanos) {
        long until = System.nanoTime() + waitNanos;
        while (events.size() <= after) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return List.of();
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        int from = (int) Math.max(0, after);
        return List.copyOf(events.subList(from, Math.min(events.size(), from + MOST)));
    }
}
