package dev.ccp.server.platform;

import dev.ccp.server.billing.control.Billing;
import dev.ccp.server.billing.control.Checkouts;
import dev.ccp.server.billing.control.ProviderApi;
import dev.ccp.server.billing.control.Reconciler;
import dev.ccp.server.billing.control.StripeEvents;
import dev.ccp.server.billing.control.PolarEvents;
import dev.ccp.server.billing.control.ProviderPlans;
import dev.ccp.server.identity.control.CodeEntry;
import dev.ccp.server.identity.control.DeviceFlow;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.keys.control.KeyStore;
import dev.ccp.server.license.control.LicenseService;
import dev.ccp.server.license.control.Plans;
import dev.ccp.server.org.control.Members;
import dev.ccp.server.policy.control.Policies;
import dev.ccp.server.policy.control.PolicySchema;
import dev.ccp.server.policy.control.PolicyWatch;
import dev.ccp.server.usage.control.ModelHealth;
import dev.ccp.server.usage.control.RollupStore;
import dev.ccp.server.usage.control.UsageWindows;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

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
    private CodeEntry codeEntry;
    private RateLimiter rateLimiter;
    private RollupStore rollups;
    private ModelHealth modelHealth;
    private Billing billing;
    private PolarEvents polar;
    private Checkouts checkouts;
    private StripeEvents stripe;
    private Reconciler reconciler;
    private Policies policies;
    private PolicyWatch policyWatch;
    private final Templates templates = new Templates();
    private final Clock clock = Clock.systemUTC();
    private final List<ScheduledFuture<?>> jobs = new ArrayList<>();

    @Resource
    ManagedScheduledExecutorService scheduler;

    @PostConstruct
    void start() {
        config = ServerConfig.fromEnvironment();
        database = Database.open(config);
        tx = new Tx(database.entityManagerFactory());
        keys = new KeyStore(config.keysDir());
        Plans plans = Plans.load(config.plansFile());
        licenses = new LicenseService(plans, keys, config);
        billing = new Billing(plans);
        ProviderPlans polarProducts = ProviderPlans.parse("CCP_POLAR_PRODUCTS", config.get("CCP_POLAR_PRODUCTS"), plans);
        ProviderPlans stripePrices = ProviderPlans.parse("CCP_STRIPE_PRICES", config.get("CCP_STRIPE_PRICES"), plans);
        ProviderApi polarApi = new ProviderApi("Polar", config.get("CCP_POLAR_API_URL", "https://api.polar.sh"),
                config.get("CCP_POLAR_TOKEN").orElse(null));
        ProviderApi stripeApi = new ProviderApi("Stripe", config.get("CCP_STRIPE_API_URL", "https://api.stripe.com"),
                config.get("CCP_STRIPE_KEY").orElse(null));
        polar = new PolarEvents(config.polarWebhookSecret().orElse(null), polarProducts, polarApi, clock);
        stripe = new StripeEvents(config.stripeWebhookSecret().orElse(null), stripePrices, stripeApi, clock);
        checkouts = new Checkouts(polarApi, polarProducts, stripeApi, stripePrices, config.billingProvider());
        reconciler = new Reconciler(tx, billing, polar, stripe, clock);
        members = new Members(licenses);
        tokens = new Tokens(keys, config);
        deviceFlow = new DeviceFlow(config);
        rateLimiter = new RateLimiter(clock, database.entityManagerFactory());
        codeEntry = new CodeEntry(deviceFlow, rateLimiter, config.deviceGuessesPerMinute());
        rollups = new RollupStore();
        modelHealth = new ModelHealth(new UsageWindows(database.dataSource()));
        policies = new Policies(keys, new PolicySchema(), config.policyTtl());
        policyWatch = new PolicyWatch(database.dataSource());
        long watchMillis = config.getInt("CCP_POLICY_WATCH_MILLIS", 200, 20, 10_000);
        every(watchMillis, TimeUnit.MILLISECONDS, "waking long polls on changed policy channels", policyWatch::poll);
        if (polarApi.configured() || stripeApi.configured()) {
            long minutes = config.getInt("CCP_RECONCILE_MINUTES", 60, 1, 7 * 24 * 60);
            every(minutes * 60, TimeUnit.SECONDS, "reconciling subscriptions with the billing providers", () -> {
                Reconciler.Result result = reconciler.run();
                if (!result.failed().isEmpty()) {
                    Logger.getLogger(Platform.class.getName()).warning("reconciliation could not check " + result.failed());
                }
            });
        }
    }

    /**
     * Runs a job every {@code period}; a failure is logged and the next run tries again. A job that
     * keeps failing (the database is down) is logged when it starts failing and when it recovers,
     * not every few hundred milliseconds in between.
     */
    private void every(long period, TimeUnit unit, String what, Runnable job) {
        Logger log = Logger.getLogger(Platform.class.getName());
        java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean();
        jobs.add(scheduler.scheduleWithFixedDelay(() -> {
            try {
                job.run();
                if (failing.compareAndSet(true, false)) {
                    log.info(what + " works again");
                }
            } catch (RuntimeException e) {
                if (failing.compareAndSet(false, true)) {
                    log.log(Level.WARNING, what + " failed; retrying every " + period + " "
                            + unit.name().toLowerCase(java.util.Locale.ROOT) + " until it works", e);
                } else {
                    log.log(Level.FINE, what + " failed again", e);
                }
            }
        }, period, period, unit));
    }

    void eager(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // Touching the bean runs start() at deployment rather than on the first request.
        config.dataDir();
    }

    @PreDestroy
    void stop() {
        jobs.forEach(job -> job.cancel(false));
        policyWatch.close();
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
    public CodeEntry codeEntry() {
        return codeEntry;
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

    @Produces
    public Billing billing() {
        return billing;
    }

    @Produces
    public PolarEvents polar() {
        return polar;
    }

    @Produces
    public Checkouts checkouts() {
        return checkouts;
    }

    @Produces
    public StripeEvents stripe() {
        return stripe;
    }

    @Produces
    public Policies policies() {
        return policies;
    }

    @Produces
    public PolicyWatch policyWatch() {
        return policyWatch;
    }

    @Produces
    public Reconciler reconciler() {
        return reconciler;
    }
}
