package dev.ccp.sdk;

import java.time.Instant;

/**
 * What to read of an org's audit log: entries after {@code after} (0 from the start), by an actor
 * (a type such as {@code operator}, or an id), of an action, in a time range; null leaves a
 * condition out.
 *
 * @param limit entries per page, 1 to 500; null for the server's 100
 */
public record AuditQuery(long after, String actor, String action, Instant from, Instant to, Integer limit) {

    public static AuditQuery all() {
        return new AuditQuery(0, null, null, null, null, null);
    }
}
