package dev.ccp.server.admin.boundary;

import dev.ccp.server.audit.control.AuditFiles;
import dev.ccp.server.audit.control.AuditLog;
import dev.ccp.server.identity.control.Users;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.web.control.WebSessions;
import dev.ccp.spi.audit.AuditEntry;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code /admin/audit}: the org's audit log, newest last, 50 entries a page, filtered by actor,
 * action and days; and the same entries as a file to keep, or, unfiltered JSON Lines, to check with
 * {@code ccp audit verify}.
 */
@RequestScoped
@Path("admin/audit")
public class AdminAuditResource extends AdminPages {

    private static final Page PAGE = new Page("audit", "Audit log", false);
    private static final int PAGE_SIZE = 50;
    private static final int EXPORT_MAX = 100_000;

    @Inject
    AuditLog audit;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response list(@CookieParam(WebSessions.COOKIE) String session, @QueryParam("after") String after,
            @QueryParam("actor") String actor, @QueryParam("action") String action, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        Map<String, String> query = query(actor, action, from, to);
        return show(session, PAGE, null, (em, admin, scope) -> {
            scope.putAll(query);
            scope.put("exportJsonl", link("audit/export", query, "format", "jsonl"));
            scope.put("exportCsv", link("audit/export", query, "format", "csv"));
            AuditLog.Filter filter = AuditFiles.filter(number(after, "after must be an entry number"), actor, action, from, to);
            List<AuditEntry> entries = audit.search(em, admin.org().id(), filter, PAGE_SIZE + 1);
            // People by their login rather than their id, as a reader knows them; the export keeps the ids.
            Map<String, String> logins = Users.logins(em, entries.stream().filter(e -> "user".equals(e.actorType()) && e.actorId() != null)
                    .map(AuditEntry::actorId).collect(Collectors.toSet()));
            scope.put("entries", entries.stream().limit(PAGE_SIZE).map(e -> row(e, logins)).toList());
            if (entries.size() > PAGE_SIZE) {
                scope.put("nextPage", link("audit", query, "after", Long.toString(entries.get(PAGE_SIZE - 1).seq())));
            }
            if (filter.afterSeq() > 0) {
                scope.put("firstPage", link("audit", query, null, null));
            }
        });
    }

    @GET
    @Path("export")
    @Produces({AuditFiles.JSONL, AuditFiles.CSV, MediaType.TEXT_HTML})
    public Response export(@CookieParam(WebSessions.COOKIE) String session, @QueryParam("format") String format,
            @QueryParam("actor") String actor, @QueryParam("action") String action, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        boolean csv = "csv".equals(format);
        if (!csv && !"jsonl".equals(format)) {
            throw ProblemException.badRequest("format must be jsonl or csv");
        }
        AuditLog.Filter filter = AuditFiles.filter(null, actor, action, from, to);
        return file(session, PAGE, (em, admin) -> {
            String body = csv ? AuditFiles.csv(audit.search(em, admin.org().id(), filter, EXPORT_MAX))
                    : audit.export(em, admin.org().id(), filter, EXPORT_MAX, admin.now());
            String name = admin.org().slug() + "-audit." + (csv ? "csv" : "jsonl");
            return Response.ok(body, (csv ? AuditFiles.CSV : AuditFiles.JSONL) + "; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"" + name + "\"").build();
        });
    }

    private static Map<String, Object> row(AuditEntry e, Map<String, String> logins) {
        Map<String, Object> row = new HashMap<>();
        row.put("seq", e.seq());
        row.put("at", when(e.at()));
        row.put("action", e.action());
        row.put("actor", e.actorType() + (e.actorId() == null ? "" : " " + logins.getOrDefault(e.actorId(), e.actorId())));
        row.put("targets", words(e.targets()));
        Map<String, Object> details = new java.util.TreeMap<>(e.details());
        // Where the change came from gets a column of its own, the address first, the browser on hover.
        if (details.remove("context") instanceof Map<?, ?> context) {
            row.put("ip", context.get("ip"));
            row.put("agent", context.get("user_agent"));
        }
        row.put("details", words(details));
        return row;
    }

    /** {@code key: value} pairs for a reader; a nested value as its JSON. */
    private static String words(Map<String, Object> values) {
        return new java.util.TreeMap<>(values).entrySet().stream()
                .map(v -> v.getKey() + ": " + (v.getValue() instanceof Map<?, ?> || v.getValue() instanceof List<?>
                        ? AuditFiles.json(v.getValue())
                        : String.valueOf(v.getValue())))
                .collect(Collectors.joining(", "));
    }

    private static Map<String, String> query(String actor, String action, String from, String to) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("actor", actor == null ? "" : actor);
        query.put("action", action == null ? "" : action);
        query.put("from", from == null ? "" : from);
        query.put("to", to == null ? "" : to);
        return query;
    }

    private String link(String path, Map<String, String> query, String name, String value) {
        List<String> parts = new ArrayList<>();
        query.forEach((k, v) -> {
            if (!v.isBlank()) {
                parts.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        if (name != null) {
            parts.add(name + "=" + value);
        }
        return root() + path + (parts.isEmpty() ? "" : "?" + String.join("&", parts));
    }
}
