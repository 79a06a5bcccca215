package dev.ccp.server.testing;

import dev.ccp.server.Controls;
import dev.ccp.server.identity.control.CodeEntry;
import dev.ccp.server.identity.control.DeviceFlow;
import dev.ccp.server.identity.control.Identity;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.identity.entity.User;
import dev.ccp.server.keys.control.KeyStore;
import dev.ccp.server.license.control.LicenseService;
import dev.ccp.server.org.control.Accounts;
import dev.ccp.server.org.control.Members;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.database.Database;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.spi.testing.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * The server's control objects, wired as the application wires them ({@link Controls}), over a
 * fresh test database, with the keys in a folder of the test's and a hand-moved clock.
 */
public final class Fixture implements AutoCloseable {

    public static final String ISSUER = "https://ccp.test/";

    public final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    public final Controls controls;
    public final ServerConfig config;
    public final Database database;
    public final Tx tx;
    public final KeyStore keys;
    public final LicenseService licenses;
    public final Members members;
    public final Tokens tokens;
    public final DeviceFlow deviceFlow;
    public final CodeEntry codeEntry;

    public Fixture(Path keysDir) {
        controls = new Controls(new ServerConfig(Map.of("CCP_DEVICE_INTERVAL", "5", "CCP_KEYS_DIR", keysDir.toString())),
                TestDatabase.open(), clock);
        config = controls.config;
        database = controls.database;
        tx = controls.tx;
        keys = controls.keys;
        licenses = controls.licenses;
        members = controls.members;
        tokens = controls.tokens;
        deviceFlow = controls.deviceFlow;
        codeEntry = controls.codeEntry;
    }

    /** Signs a person in and answers who is calling for their personal org. */
    public Principal signIn(String login) {
        return tx.call(em -> {
            User user = Accounts.signIn(em, Identity.parse(login).orElseThrow(), clock.instant());
            return new Principal(user.id(), Accounts.personalOrg(em, user.id()).id(), null, "test");
        });
    }

    /** Signs a person in for a named org they belong to. */
    public Principal signIn(String login, String orgSlug) {
        return tx.call(em -> {
            User user = Accounts.signIn(em, Identity.parse(login).orElseThrow(), clock.instant());
            return new Principal(user.id(), Accounts.orgBySlug(em, orgSlug).orElseThrow().id(), null, "test");
        });
    }

    /** An {@code Authorization} header with a fresh access token of the {@code ccp} client for {@code who}. */
    public String bearer(Principal who) {
        return "Bearer " + tx.call(em -> tokens.issue(em, who.userId(), who.orgId(), "ccp", ISSUER, clock.instant())).accessToken();
    }

    public String slugOf(Principal principal) {
        return tx.call(em -> em.find(Org.class, principal.orgId()).slug());
    }

    @Override
    public void close() {
        controls.close();
    }
}
