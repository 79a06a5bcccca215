package dev.ccp.server.platform;

import dev.ccp.server.identity.control.DeviceFlow;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.keys.control.KeyStore;
import dev.ccp.server.license.control.LicenseService;
import dev.ccp.server.license.control.Plans;
import dev.ccp.server.org.control.Members;
import dev.ccp.server.usage.control.ModelHealth;
import dev.ccp.server.usage.control.RollupStore;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/**
 * The composition root. Starts the server's foundations once, when the application starts:
 * configuration, the migrated database, the signing keys and the plain-Java control objects that use
 * them. A failure here fails the deployment, so a server that answers {@code /health/ready} has all
 * of them.
 */
@ApplicationScoped
public class Platform {

    private ServerConfig config;
    private Database database;
    private KeyStore keys;
    private Tx tx;
    private LicenseService licenses;
    private Members members;
    private Tokens tokens;
    private DeviceFlow deviceFlow;
    private RateLimiter rateLimiter;
    private RollupStore rollups;
    private ModelHealth modelHealth;
    private final Templates templates = new Templates();
    private final Clock clock = Clock.systemUTC();

    @PostConstruct
    void start() {
        config = ServerConfig.fromEnvironment();
        database = Database.open(config);
        tx = new Tx(database.entityManagerFactory());
        keys = new KeyStore(config.keysDir());
        licenses = new LicenseService(Plans.load(config.plansFile()), keys, config);
        members = new Members(licenses);
        tokens = new Tokens(keys, config);
        deviceFlow = new DeviceFlow(config);
        rateLimiter = new RateLimiter(clock, database.entityManagerFactory());
        rollups = new RollupStore(database.dataSource());
        modelHealth = new ModelHealth(rollups);
    }

    void eager(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // Touching the bean runs start() at deployment rather than on the first request.
        config.dataDir();
    }

    @PreDestroy
    void stop() {
        database.close();
    }

    @Produces
    public ServerConfig config() {
        return config;
    }

    @Produces
    public Database database() {
        return database;
    }

    @Produces
    public Tx tx() {
        return tx;
    }

    @Produces
    public KeyStore keys() {
        return keys;
    }

    @Produces
    public Clock clock() {
        return clock;
    }

    @Produces
    public Templates templates() {
        return templates;
    }

    @Produces
    public LicenseService licenses() {
        return licenses;
    }

    @Produces
    public Members members() {
        return members;
    }

    @Produces
    public Tokens tokens() {
        return tokens;
    }

    @Produces
    public DeviceFlow deviceFlow() {
        return deviceFlow;
    }

    @Produces
    public RateLimiter rateLimiter() {
        return rateLimiter;
    }

    @Produces
    public RollupStore rollups() {
        return rollups;
    }

    @Produces
    public ModelHealth modelHealth() {
        return modelHealth;
    }
}
