package dev.ccp.server.usage.boundary;

import dev.ccp.server.identity.boundary.Bearer;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.license.control.LicenseService;
import dev.ccp.server.org.control.Accounts;
import dev.ccp.server.org.entity.Membership;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.Database;
import dev.ccp.server.platform.ProblemException;
import dev.ccp.server.platform.RateLimiter;
import dev.ccp.server.platform.Requests;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.Tx;
import dev.ccp.server.usage.control.RollupStore;
import dev.ccp.server.usage.control.RollupValidator;
import dev.ccp.spi.wire.IngestResult;
import dev.ccp.spi.wire.RollupBatch;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/ingest/rollups}: minimized usage rows from one seat. The org and seat come from the
 * access token; the batch is validated whole, stored idempotently and committed before the answer.
 */
@RequestScoped
@Bearer
@Path("v1/ingest/rollups")
public class IngestResource {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,200}");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Inject
    Tx tx;
    @Inject
    Tokens tokens;
    @Inject
    LicenseService licenses;
    @Inject
    RateLimiter rateLimiter;
    @Inject
    RollupStore store;
    @Inject
    ServerConfig config;
    @Inject
    Clock clock;
    @Context
    UriInfo uri;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public IngestResult ingest(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("Idempotency-Key") String idempotencyKey, RollupBatch batch) {
        Instant now = clock.instant();
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ProblemException.badRequest("Idempotency-Key must be 1 to 200 of [A-Za-z0-9._:-]");
        }
        // One transaction and one connection from the token check to the commit: ingest is the hot path.
        return tx.call(em -> ingest(em, authorization, idempotencyKey, batch, now));
    }

    private IngestResult ingest(EntityManager em, String authorization, String idempotencyKey, RollupBatch batch, Instant now) {
        Connection connection = Database.connection(em);
        Principal caller = tokens.authenticate(em, authorization, now);
        Org org = em.find(Org.class, caller.orgId());
        Membership membership = Accounts.membership(em, org.id(), caller.userId()).orElseThrow(() ->
                ProblemException.unauthorized("this session's membership has been removed; log in again"));
        String seat = membership.seat();
        if (seat == null) {
            throw new ProblemException(403, "no-seat", "No seat",
                    "You hold no seat in org " + org.slug() + ", so there is no usage to take from you; ask an owner or admin for one.");
        }
        licenses.requireUpload(org, Requests.baseUrl(config, uri), now);
        String bucket = "ingest:" + org.id();
        // Refused before the work when the minute's budget is spent; counted after it, so the count's
        // row lock is held only until the commit, not while the rows are written.
        if (rateLimiter.hits(em, bucket, MINUTE) >= config.ingestPerMinute()) {
            throw tooMany(org);
        }
        if (batch == null) {
            throw ProblemException.badRequest("send a JSON body {\"rows\": [...]}");
        }
        RollupValidator.validate(batch.rows(), now);
        IngestResult result = store.ingest(connection, org.id(), seat, batch.rows(), idempotencyKey, now);
        if (rateLimiter.hit(em, bucket, MINUTE) > config.ingestPerMinute()) {
            throw tooMany(org);
        }
        return result;
    }

    private ProblemException tooMany(Org org) {
        return ProblemException.tooManyRequests("org " + org.slug() + " sent more than " + config.ingestPerMinute()
                + " batches this minute; retry after the time in Retry-After", rateLimiter.untilNextWindow(MINUTE));
    }
}
