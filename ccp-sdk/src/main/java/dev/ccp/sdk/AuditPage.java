package dev.ccp.sdk;

import dev.ccp.spi.audit.AuditEntry;
import java.util.List;

/**
 * A page of an org's audit log.
 *
 * @param next the {@code after} of the next page, or null when this was the last
 */
public record AuditPage(List<AuditEntry> entries, Long next) {

    public AuditPage {
        entries = List.copyOf(entries);
    }
}
