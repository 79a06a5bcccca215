package dev.ccp.sdk.internal;

import java.lang.System.Logger.Level;

/**
 * A {@link System.Logger} found on first use. Finding the logging backend takes milliseconds that a
 * tool's start should not pay when nothing is logged, which is the usual case.
 */
final class Log {

    private final String name;
    private volatile System.Logger logger;

    private Log(String name) {
        this.name = name;
    }

    static Log of(Class<?> owner) {
        return new Log(owner.getName());
    }

    void log(Level level, String message) {
        logger().log(level, message);
    }

    void log(Level level, String message, Throwable thrown) {
        logger().log(level, message, thrown);
    }

    /** {@code format} as {@link java.text.MessageFormat} fills it with {@code params}. */
    void log(Level level, String format, Object... params) {
        logger().log(level, format, params);
    }

    private System.Logger logger() {
        System.Logger found = logger;
        if (found == null) {
            found = System.getLogger(name);
            logger = found;
        }
        return found;
    }
}
