package dev.ccp.server.usage.control;

import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.license.control.LicenseService;
import dev.ccp.server.license.control.Standings;
import dev.ccp.server.org.control.Accounts;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.database.Database;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.platform.ratelimit.RateLimiter;
import dev.ccp.spi.wire.IngestResult;
import dev.ccp.spi.wire.RollupBatch;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The rules of taking usage from a seat: the caller must hold a seat, the plan must send usage
 * (its privacy tier), the org must be within its batches per minute, and the batch must be valid
 * whole. Then it is stored idempotently, in the caller's transaction, on its JDBC connection, with
 * the caller's membership row locked.
 */
public final class Ingest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final Tx tx;
    private final Tokens tokens;
    private final Standings standings;
    private final LicenseService licenses;
    private final RateLimiter rateLimiter;
    private final RollupStore store;
    private final int perMinute;

    public Ingest(Tx tx, Tokens tokens, Standings standings, LicenseService licenses, RateLimiter rateLimiter, RollupStore store,
            int perMinute) {
        this.tx = tx;
        this.tokens = tokens;
        this.standings = standings;
        this.licenses = licenses;
        this.rateLimiter = rateLimiter;
        this.store = store;
        this.perMinute = perMinute;
    }

    /**
     * Takes a batch from the bearer of {@code authorization}, committed before it returns.
     *
     * @param baseUrl the server's public URL, for where to upgrade
     */
    public IngestResult ingest(String authorization, String idempotencyKey, RollupBatch batch, String baseUrl, Instant now) {
        Tokens.AccessClaims caller = tokens.bearer(authorization, now);
        LicenseService.Standing standing = standings.of(caller);
        // One transaction and one connection from the first statement to the commit: ingest is the hot path.
        return tx.call(em -> {
            Database.connection(em);
            return ingest(em, caller.sub(), standing, idempotencyKey, batch, baseUrl, now);
        });
    }

    /**
     * @param userId   the caller, from a verified access token
     * @param standing where the caller stood when this node last read it ({@link Standings}), which may
     *                 be a moment behind another node's change; the seat is read again under its lock
     */
    private IngestResult ingest(EntityManager em, String userId, LicenseService.Standing standing, String idempotencyKey,
            RollupBatch batch, String baseUrl, Instant now) {
        Org org = standing.org();
        if (standing.seat() == null) {
            throw noSeat(org);
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
        Connection c = Database.connection(em);
        String seat = lockSeat(c, org.id(), userId).orElseThrow(() -> noSeat(org));
        IngestResult result = store.ingest(c, org.id(), seat, batch.rows(), idempotencyKey, now);
        if (rateLimiter.hit(em, bucket, MINUTE) > perMinute) {
            throw tooMany(org);
        }
        return result;
    }

    /**
     * Locks the caller's membership row until the transaction ends and answers the seat it holds
     * now: one batch of a seat at a time, so that a batch's deltas are taken against the rows as the
     * previous one left them ({@link RollupStore}). A member removed, or a seat taken back, since
     * the standing was read is refused here, whatever this node kept.
     */
    private static Optional<String> lockSeat(Connection c, String orgId, String userId) {
        try (PreparedStatement s = c.prepareStatement("select seat from memberships where org_id = ? and user_id = ? for update")) {
            s.setString(1, orgId);
            s.setString(2, userId);
            try (ResultSet row = s.executeQuery()) {
                if (!row.next()) {
                    throw Accounts.membershipRemoved();
                }
                return Optional.ofNullable(row.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("locking the seat failed", e);
        }
    }

    private static ProblemException noSeat(Org org) {
        return new ProblemException(403, "no-seat", "No seat",
                "You hold no seat in org " + org.slug() + ", so there is no usage to take from you; ask an owner or admin for one.");
    }

    private ProblemException tooMany(Org org) {
        return ProblemException.tooManyRequests("org " + org.slug() + " sent more than " + perMinute
                + " batches this minute; retry after the time in Retry-After", rateLimiter.untilNextWindow(MINUTE));
    }
}
