package dev.ccp.server.license.control;

import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.platform.database.Database;
import dev.ccp.server.platform.database.ReadCache;
import dev.ccp.server.platform.database.Tx;

/**
 * Where a login stands: its org and its seat, read once and then kept by this node until any of the
 * rows behind it (the login, the org, the membership) changes on any node ({@link ReadCache}). What
 * a tool asks again and again (its license status, its next usage batch) then costs no database
 * round trip for them. A revoked login or a removed member is refused as soon as the change has
 * committed here, or its notice has reached this node from another.
 */
public final class Standings {

    /** Logins kept per node; a node with more drops them all and keeps again as they ask. */
    static final int KEPT = 20_000;

    private final Tx tx;
    private final Tokens tokens;
    private final LicenseService licenses;
    private final ReadCache<String, LicenseService.Standing> kept;

    public Standings(Tx tx, Tokens tokens, LicenseService licenses, Database database) {
        this.tx = tx;
        this.tokens = tokens;
        this.licenses = licenses;
        this.kept = new ReadCache<>(database, KEPT, System::nanoTime);
    }

    /** The standing of the login behind verified claims; 401 problem for a revoked login or a removed member. */
    public LicenseService.Standing of(Tokens.AccessClaims claims) {
        return kept.get(claims.sid(), () -> tx.call(em -> licenses.standing(em, tokens.authenticate(em, claims))));
    }
}
