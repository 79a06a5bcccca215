package dev.ccp.server.audit.control;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the change being made came from: the client address and user agent of the request the
 * thread is serving, set for the whole request by {@code audit.boundary.RequestContext}, so that
 * every entry carries it without each feature passing it along. Jobs run without one.
 */
public final class AuditContext {

    private static final ThreadLocal<Map<String, Object>> CURRENT = new ThreadLocal<>();
    private static final int MAX_USER_AGENT = 200;

    private AuditContext() {
    }

    /** Sets the current request's context; {@link #clear} when it ends. */
    public static void set(String address, String userAgent) {
        Map<String, Object> context = new LinkedHashMap<>();
        if (address != null) {
            context.put("ip", address);
        }
        if (userAgent != null && !userAgent.isBlank()) {
            context.put("user_agent", userAgent.length() > MAX_USER_AGENT ? userAgent.substring(0, MAX_USER_AGENT) : userAgent);
        }
        CURRENT.set(Map.copyOf(context));
    }

    public static void clear() {
        CURRENT.remove();
    }

    /** The current request's context; empty outside a request. */
    static Map<String, Object> current() {
        Map<String, Object> context = CURRENT.get();
        return context == null ? Map.of() : context;
    }
}
