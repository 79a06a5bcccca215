package dev.ccp.server.usage.boundary;

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
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/ingest/rollups}: minimized usage rows from one seat. The org and seat come from the
 * access token; the batch is validated whole, stored idempotently and committed before the answer.
 */
@RequestScoped
@Path("v1/ingest/rollups")
public class IngestResource {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

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

    /** The org and seat a batch is stored under. */
    private record Target(String orgId, String seat) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public IngestResult ingest(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("Idempotency-Key") String idempotencyKey, RollupBatch batch) {
        Instant now = clock.instant();
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ProblemException.badRequest("Idempotency-Key must be 1 to 200 of [A-Za-z0-9._:-]");
        }
        Target target = tx.call(em -> {
            Principal caller = tokens.authenticate(em, authorization, now);
            Org org = em.find(Org.class, caller.orgId());
            Membership membership = Accounts.membership(em, org.id(), caller.userId()).orElseThrow(() ->
                    ProblemException.unauthorized("this session's membership has been removed; log in again"));
            if (membership.seat() == null) {
                throw new ProblemException(403, "no-seat", "No seat",
                        "You hold no seat in org " + org.slug() + ", so there is no usage to take from you; ask an owner or admin for one.");
            }
            licenses.requireUpload(org, Requests.baseUrl(config, uri), now);
            Duration minute = Duration.ofMinutes(1);
            // This transaction only counts the request: no need to wait for the disk with the org's counter locked.
            Database.relaxDurability(em);
            if (rateLimiter.hit(em, "ingest:" + org.id(), minute) > config.ingestPerMinute()) {
                throw ProblemException.tooManyRequests("org " + org.slug() + " sent more than " + config.ingestPerMinute()
                        + " batches this minute; retry after the time in Retry-After", rateLimiter.untilNextWindow(minute));
            }
            return new Target(org.id(), membership.seat());
        });
        if (batch == null) {
            throw ProblemException.badRequest("send a JSON body {\"rows\": [...]}");
        }
        RollupValidator.validate(batch.rows(), now);
        return store.ingest(target.orgId(), target.seat(), batch.rows(), idempotencyKey, now);
    }
}
