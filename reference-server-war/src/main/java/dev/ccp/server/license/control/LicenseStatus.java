package dev.ccp.server.license.control;

import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.platform.database.Database;
import dev.ccp.server.platform.database.ReadCache;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.spi.wire.LicenseStatusResponse;
import java.time.Instant;

/**
 * A login's license status, as often as a tool asks. The access token is checked on every request;
 * the rows behind the answer (the login, its org, the seat) are read once and then kept by this node
 * until any of them changes on any node ({@link ReadCache}), so a status asked again costs no
 * database round trip. A revoked login is refused as soon as its revocation has committed here, or
 * its notice has reached this node from another.
 */
public final class LicenseStatus {

    /** Logins kept per node; a node with more drops them all and keeps again as they ask. */
    static final int KEPT = 20_000;

    private final Tx tx;
    private final Tokens tokens;
    private final LicenseService licenses;
    private final ReadCache<String, LicenseService.Standing> standings;

    public LicenseStatus(Tx tx, Tokens tokens, LicenseService licenses, Database database) {
        this.tx = tx;
        this.tokens = tokens;
        this.licenses = licenses;
        this.standings = new ReadCache<>(database, KEPT, System::nanoTime);
    }

    /** The status for the bearer of {@code authorization}; 401 problem for a missing, bad, expired or revoked token. */
    public LicenseStatusResponse of(String authorization, Instant now, String baseUrl) {
        Tokens.AccessClaims claims = tokens.bearer(authorization, now);
        LicenseService.Standing standing = standings.get(claims.sid(),
                () -> tx.call(em -> licenses.standing(em, tokens.authenticate(em, claims))));
        return licenses.status(standing, now, baseUrl);
    }
}
