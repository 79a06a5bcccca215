package dev.ccp.server.org.boundary;

import dev.ccp.server.audit.control.AuditFiles;
import dev.ccp.server.audit.control.AuditLog;
import dev.ccp.server.identity.boundary.Bearer;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.org.control.Members;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.spi.audit.AuditChain;
import dev.ccp.spi.audit.AuditEntry;
import dev.ccp.spi.wire.JsonValues;
import jakarta.enterprise.context.ApplicationScoped;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/orgs/{org}/audit}: the org's audit log for its owners and admins, a page at a time
 * ({@code after} the last number seen), filtered by actor, action and time; with
 * {@code format=jsonl} or {@code csv}, the whole of it (filters apply) as a file to keep; a JSON
 * Lines file without filters is what {@code ccp audit verify} checks offline.
 */
@ApplicationScoped
@Bearer
@Path("v1/orgs/{org}/audit")
public class AuditResource {

    private static final int PAGE_MAX = 500;
    private static final int EXPORT_MAX = 100_000;

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
        if (limit != null && (limit < 1 || limit > PAGE_MAX)) {
            throw ProblemException.badRequest("limit must be between 1 and " + PAGE_MAX + ", was " + limit);
        }
        String kind = format == null ? "json" : format;
        if (!List.of("json", "jsonl", "csv").contains(kind)) {
            throw ProblemException.badRequest("format must be json, jsonl or csv, was '" + kind + "'");
        }
        AuditLog.Filter filter = AuditFiles.filter(after, actor, action, from, to);
        boolean export = !kind.equals("json");
        int max = export ? EXPORT_MAX : limit == null ? 100 : limit;
        if (kind.equals("jsonl")) {
            String file = tx.call(em -> {
                Instant now = clock.instant();
                Org org = members.managedOrg(em, tokens.authenticate(em, authorization, now), slug);
                return audit.export(em, org.id(), filter, max, now);
            });
            return file(file, AuditFiles.JSONL, slug + "-audit.jsonl");
        }
        List<AuditEntry> entries = tx.call(em -> {
            Org org = members.managedOrg(em, tokens.authenticate(em, authorization, clock.instant()), slug);
            return audit.search(em, org.id(), filter, max);
        });
        if (kind.equals("csv")) {
            return file(AuditFiles.csv(entries), AuditFiles.CSV, slug + "-audit.csv");
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("entries", entries.stream().map(AuditChain::toJson).toList());
        page.put("next", entries.size() < max ? null : entries.get(entries.size() - 1).seq());
        return Response.ok(new String(JsonValues.write(page, false), StandardCharsets.UTF_8), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Response file(String body, String type, String name) {
        return Response.ok(body, type + "; charset=utf-8").header("Content-Disposition", "attachment; filename=\"" + name + "\"").build();
    }
}
