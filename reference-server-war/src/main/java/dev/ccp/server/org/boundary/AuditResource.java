package dev.ccp.server.org.boundary;

import dev.ccp.server.audit.control.AuditLog;
import dev.ccp.server.identity.boundary.Bearer;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.org.control.Members;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.Csv;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.spi.audit.AuditChain;
import dev.ccp.spi.audit.AuditEntry;
import dev.ccp.spi.wire.JsonValues;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code GET /v1/orgs/{org}/audit}: the org's audit log for its owners and admins, a page at a time
 * ({@code after} the last number seen), filtered by actor, action and time; with
 * {@code format=jsonl} or {@code csv}, the whole of it (filters apply) as a file to keep or check
 * offline with {@code ccp audit verify}.
 */
@RequestScoped
@Bearer
@Path("v1/orgs/{org}/audit")
public class AuditResource {

    private static final int PAGE_MAX = 500;
    private static final int EXPORT_MAX = 100_000;
    private static final Pattern WORD = Pattern.compile("[a-z_.]{1,64}");

    @Inject
    Tx tx;
    @Inject
    Tokens tokens;
    @Inject
    Members members;
    @Inject
    AuditLog audit;
    @Inject
    Clock clock;

    @GET
    public Response list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("org") String slug,
            @QueryParam("after") Long after, @QueryParam("limit") Integer limit, @QueryParam("actor") String actor,
            @QueryParam("action") String action, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("format") String format) {
        if (after != null && after < 0) {
            throw ProblemException.badRequest("after must be 0 or more, was " + after);
        }
        if (limit != null && (limit < 1 || limit > PAGE_MAX)) {
            throw ProblemException.badRequest("limit must be between 1 and " + PAGE_MAX + ", was " + limit);
        }
        if (action != null && !WORD.matcher(action).matches()) {
            throw ProblemException.badRequest("action must be an action name such as member.added");
        }
        if (actor != null && (actor.isBlank() || actor.length() > 320)) {
            throw ProblemException.badRequest("actor must be an actor type (user, operator, billing, system) or id");
        }
        String kind = format == null ? "json" : format;
        if (!List.of("json", "jsonl", "csv").contains(kind)) {
            throw ProblemException.badRequest("format must be json, jsonl or csv, was '" + kind + "'");
        }
        AuditLog.Filter filter = new AuditLog.Filter(after == null ? 0 : after, actor, action, instant("from", from), instant("to", to));
        boolean export = !kind.equals("json");
        int max = export ? EXPORT_MAX : limit == null ? 100 : limit;
        List<AuditEntry> entries = tx.call(em -> {
            Org org = members.managedOrg(em, tokens.authenticate(em, authorization, clock.instant()), slug);
            return audit.search(em, org.id(), filter, max);
        });
        if (kind.equals("jsonl")) {
            String lines = entries.stream().map(e -> new String(JsonValues.write(AuditChain.toJson(e), false), StandardCharsets.UTF_8) + "\n")
                    .collect(Collectors.joining());
            return file(lines, "application/jsonl", slug + "-audit.jsonl");
        }
        if (kind.equals("csv")) {
            StringBuilder csv = new StringBuilder("seq,at,action,actor_type,actor_id,targets,details,prev_hash,hash\r\n");
            for (AuditEntry e : entries) {
                csv.append(e.seq()).append(',').append(e.at()).append(',').append(Csv.field(e.action())).append(',')
                        .append(Csv.field(e.actorType())).append(',').append(Csv.field(e.actorId())).append(',')
                        .append(Csv.field(json(e.targets()))).append(',').append(Csv.field(json(e.details()))).append(',')
                        .append(e.prevHash()).append(',').append(e.hash()).append("\r\n");
            }
            return file(csv.toString(), "text/csv", slug + "-audit.csv");
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("entries", entries.stream().map(AuditChain::toJson).toList());
        page.put("next", entries.size() < max ? null : entries.get(entries.size() - 1).seq());
        return Response.ok(new String(JsonValues.write(page, false), StandardCharsets.UTF_8), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Instant instant(String name, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name + " must be an RFC 3339 time such as 2026-12-01T00:00:00Z");
        }
    }

    private static Response file(String body, String type, String name) {
        return Response.ok(body, type + "; charset=utf-8").header("Content-Disposition", "attachment; filename=\"" + name + "\"").build();
    }

    private static String json(Map<String, Object> value) {
        return new String(JsonValues.write(value, false), StandardCharsets.UTF_8);
    }
}
