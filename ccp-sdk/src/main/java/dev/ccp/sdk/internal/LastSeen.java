package dev.ccp.sdk.internal;

import dev.ccp.spi.wire.JsonValues;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * {@code state.json}: the latest local time seen by a license check, so that a clock wound back
 * below it is caught ({@code CLOCK_ROLLBACK}). Offline it only ever moves forward; only a pack the
 * server just signed may move it back (see {@link #lowerTo}).
 */
final class LastSeen {

    private static final Log LOG = Log.of(LastSeen.class);
    /** Rollback detection allows minutes of skew anyway, so a host checking often need not write each time. */
    private static final Duration WRITE_STEP = Duration.ofMinutes(1);

    private final Path file;
    private Instant cached;
    private boolean loaded;

    LastSeen(Path file) {
        this.file = file;
    }

    synchronized Instant get() {
        if (!loaded) {
            cached = read();
            loaded = true;
        }
        return cached;
    }

    /** Records {@code now} when it is later than what was seen; never moves backwards. */
    synchronized void advance(Instant now) {
        Instant seen = get();
        if (seen != null && !now.isAfter(seen)) {
            return;
        }
        Instant written = read();
        if (written != null && now.isBefore(written.plus(WRITE_STEP))) {
            // Another process may have recorded a later time than ours: keep whichever is later.
            cached = written.isAfter(now) ? written : now;
            return;
        }
        write(now);
    }

    /**
     * Moves back to {@code at} when a later time was recorded. Only for a time vouched for by a pack
     * the server just signed: one wrong jump of the clock forward must not refuse every pack until
     * real time catches up.
     */
    synchronized void lowerTo(Instant at) {
        Instant seen = get();
        Instant written = read();
        Instant latest = seen == null || written != null && written.isAfter(seen) ? written : seen;
        if (latest == null || !latest.isAfter(at)) {
            return;
        }
        LOG.log(Level.INFO, "a fresh pack from the server moves the last time seen back from " + latest + " to " + at);
        write(at);
    }

    private void write(Instant at) {
        cached = at;
        try {
            AtomicFiles.write(file, JsonValues.write(Map.of("last_seen", at.toString()), true));
        } catch (IOException e) {
            // Losing one update only weakens rollback detection a little; the license check must go on.
            LOG.log(Level.WARNING, "cannot write " + file.getFileName() + ": " + e.getMessage());
        }
    }

    private Instant read() {
        try {
            byte[] bytes = AtomicFiles.readIfExists(file);
            if (bytes == null) {
                return null;
            }
            return JsonValues.instant(JsonValues.readObject(bytes), "last_seen");
        } catch (IOException e) {
            LOG.log(Level.WARNING, "ignoring unreadable " + file.getFileName() + ": " + e.getMessage());
            return null;
        }
    }
}
