package dev.ccp.server.license.control;

import dev.ccp.server.identity.control.Tokens;
import dev.ccp.spi.wire.LicenseStatusResponse;
import java.time.Instant;

/**
 * A login's license status, as often as a tool asks. The access token is checked on every request;
 * where the login stands comes from {@link Standings}, so a status asked again costs no database
 * round trip.
 */
public final class LicenseStatus {

    private final Tokens tokens;
    private final LicenseService licenses;
    private final Standings standings;

    public LicenseStatus(Tokens tokens, LicenseService licenses, Standings standings) {
        this.tokens = tokens;
        this.licenses = licenses;
        this.standings = standings;
    }

    /** The status for the bearer of {@code authorization}; 401 problem for a missing, bad, expired or revoked token. */
    public LicenseStatusResponse of(String authorization, Instant now, String baseUrl) {
        return licenses.status(standings.of(tokens.bearer(authorization, now)), now, baseUrl);
    }
}
