package dev.ccp.server.audit.control;

import dev.ccp.server.platform.Csv;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.spi.audit.AuditEntry;
import dev.ccp.spi.wire.JsonValues;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An audit log as people ask for it and take it away: the filters of a query, checked the same way
 * for the API and the admin pages, and the two export formats. JSON Lines is what
 * {@code ccp audit verify} checks ({@link AuditLog#export}), when no filter left entries out; CSV is
 * a report for a spreadsheet and carries the same fields.
 */
public final class AuditFiles {

    public static final String JSONL = "application/jsonl";
    public static final String CSV = "text/csv";
    private static final Pattern ACTION = Pattern.compile("[a-z_.]{1,64}");

    private AuditFiles() {
    }

    /**
     * A filter from what a person or program sent; blank means "any". {@code from} and {@code to} are
     * RFC 3339 times or whole days ({@code to} a day includes that day).
     */
    public static AuditLog.Filter filter(Long after, String actor, String action, String from, String to) {
        if (after != null && after < 0) {
            throw ProblemException.badRequest("after must be 0 or more, was " + after);
        }
        String anyAction = blankToNull(action);
        if (anyAction != null && !ACTION.matcher(anyAction).matches()) {
            throw ProblemException.badRequest("action must be an action name such as member.added");
        }
        String anyActor = blankToNull(actor);
        if (anyActor != null && anyActor.length() > 320) {
            throw ProblemException.badRequest("actor must be an actor type (user, operator, billing, system) or id");
        }
        return new AuditLog.Filter(after == null ? 0 : after, anyActor, anyAction, instant("from", from, false), instant("to", to, true));
    }

    public static String csv(List<AuditEntry> entries) {
        StringBuilder csv = new StringBuilder("seq,at,action,actor_type,actor_id,targets,details,prev_hash,hash\r\n");
        for (AuditEntry e : entries) {
            csv.append(e.seq()).append(',').append(e.at()).append(',').append(Csv.field(e.action())).append(',')
                    .append(Csv.field(e.actorType())).append(',').append(Csv.field(e.actorId())).append(',')
                    .append(Csv.field(json(e.targets()))).append(',').append(Csv.field(json(e.details()))).append(',')
                    .append(e.prevHash()).append(',').append(e.hash()).append("\r\n");
        }
        return csv.toString();
    }

    public static String json(Object value) {
        return new String(JsonValues.write(value, false), StandardCharsets.UTF_8);
    }

    private static Instant instant(String name, String text, boolean endOfDay) {
        String value = blankToNull(text);
        if (value == null) {
            return null;
        }
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name + " must be a day such as 2026-12-01 or an RFC 3339 time such as 2026-12-01T00:00:00Z");
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
