package dev.ccp.server.testing;

import dev.ccp.server.identity.control.CodeEntry;
import dev.ccp.server.identity.control.DeviceFlow;
import dev.ccp.server.identity.control.Identity;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.identity.entity.User;
import dev.ccp.server.keys.control.KeyStore;
import dev.ccp.server.license.control.LicenseService;
import dev.ccp.server.license.control.Plans;
import dev.ccp.server.org.control.Accounts;
import dev.ccp.server.org.control.Members;
import dev.ccp.server.platform.Database;
import dev.ccp.server.platform.RateLimiter;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.Tx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The server's control objects over an in-memory database and a hand-moved clock. */
public final class Fixture implements AutoCloseable {

    public static final String ISSUER = "https://ccp.test/";

    public final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    public final ServerConfig config = new ServerConfig(Map.of("CCP_DEVICE_INTERVAL", "5"));
    public final Database database = TestDatabase.open();
    public final Tx tx = TestDatabase.tx(database);
    public final KeyStore keys;
    public final LicenseService licenses;
    public final Members members;
    public final Tokens tokens;
    public final DeviceFlow deviceFlow;
    public final CodeEntry codeEntry;

    public Fixture(Path keysDir) {
        keys = new KeyStore(keysDir);
        licenses = new LicenseService(Plans.load(Optional.empty()), keys, config);
        members = new Members(licenses);
        tokens = new Tokens(keys, config);
        deviceFlow = new DeviceFlow(config);
        codeEntry = new CodeEntry(deviceFlow, new RateLimiter(clock, database.entityManagerFactory()), config.deviceGuessesPerMinute());
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

    public String slugOf(Principal principal) {
        return tx.call(em -> em.find(dev.ccp.server.org.entity.Org.class, principal.orgId()).slug());
    }

    @Override
    public void close() {
        database.close();
    }
}
