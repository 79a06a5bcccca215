package dev.ccp.sdk;

import java.util.Objects;

/**
 * What {@link Usage#export} sends. Immutable; each {@code with…} method returns a copy.
 *
 * <pre>{@code
 * ccp.usage().export(ExportOptions.defaults().withHours(48).withListener(progress));
 * }</pre>
 */
public final class ExportOptions {

    public static final int DEFAULT_HOURS = 24;
    /** The server keeps 400 days of rollups and refuses older ones. */
    public static final int MAX_HOURS = 400 * 24;

    private static final ExportOptions DEFAULTS = new ExportOptions(DEFAULT_HOURS, false, new ExportListener() { });

    private final int hours;
    private final boolean dryRun;
    private final ExportListener listener;

    private ExportOptions(int hours, boolean dryRun, ExportListener listener) {
        this.hours = hours;
        this.dryRun = dryRun;
        this.listener = listener;
    }

    /** The last 24 hours, sent for real, heard by no one. */
    public static ExportOptions defaults() {
        return DEFAULTS;
    }

    /** Send the rows of the last {@code hours} hours, the current one included (1 to {@value #MAX_HOURS}). */
    public ExportOptions withHours(int hours) {
        if (hours < 1 || hours > MAX_HOURS) {
            throw new IllegalArgumentException("hours must be between 1 and " + MAX_HOURS + ", was " + hours);
        }
        return new ExportOptions(hours, dryRun, listener);
    }

    /** Work out what would be sent, and send nothing. */
    public ExportOptions withDryRun(boolean dryRun) {
        return new ExportOptions(hours, dryRun, listener);
    }

    public ExportOptions withListener(ExportListener listener) {
        return new ExportOptions(hours, dryRun, Objects.requireNonNull(listener, "listener"));
    }

    public int hours() {
        return hours;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public ExportListener listener() {
        return listener;
    }
}
