package dev.ccp.server.usage.control;

import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.license.control.LicenseService;
import dev.ccp.server.org.control.Accounts;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.database.Database;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.platform.ratelimit.RateLimiter;
import dev.ccp.spi.wire.IngestResult;
import dev.ccp.spi.wire.RollupBatch;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;

/**
 * The rules of taking usage from a seat: the caller must hold a seat, the plan must send usage
 * (its privacy tier), the org must be within its batches per minute, and the batch must be valid
 * whole. Then it is stored idempotently, in the caller's transaction, on its JDBC connection.
 */
public final class Ingest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final LicenseService licenses;
    private final RateLimiter rateLimiter;
    private final RollupStore store;
    private final int perMinute;

    public Ingest(LicenseService licenses, RateLimiter rateLimiter, RollupStore store, int perMinute) {
        this.licenses = licenses;
        this.rateLimiter = rateLimiter;
        this.store = store;
        this.perMinute = perMinute;
    }

    /**
     * @param baseUrl the server's public URL, for where to upgrade
     */
    public IngestResult ingest(EntityManager em, Principal caller, String idempotencyKey, RollupBatch batch, String baseUrl, Instant now) {
        Accounts.CallerOrg mine = Accounts.callerOrg(em, caller);
        Org org = mine.org();
        String seat = mine.membership().seat();
        if (seat == null) {
            throw new ProblemException(403, "no-seat", "No seat",
                    "You hold no seat in org " + org.slug() + ", so there is no usage to take from you; ask an owner or admin for one.");
        }
        licenses.requireUpload(org, baseUrl, now);
        String bucket = "ingest:" + org.id();
        // Refused before the work when the minute's budget is spent; counted after it, so the count's
        // row lock is held only until the commit, not while the rows are written.
        if (rateLimiter.hits(em, bucket, MINUTE) >= perMinute) {
            throw tooMany(org);
        }
        if (batch == null) {
            throw ProblemException.badRequest("send a JSON body {\"rows\": [...]}");
        }
        RollupValidator.validate(batch.rows(), now);
        IngestResult result = store.ingest(Database.connection(em), org.id(), seat, batch.rows(), idempotencyKey, now);
        if (rateLimiter.hit(em, bucket, MINUTE) > perMinute) {
            throw tooMany(org);
        }
        return result;
    }

    private ProblemException tooMany(Org org) {
        return ProblemException.tooManyRequests("org " + org.slug() + " sent more than " + perMinute
                + " batches this minute; retry after the time in Retry-After", rateLimiter.untilNextWindow(MINUTE));
    }
}
