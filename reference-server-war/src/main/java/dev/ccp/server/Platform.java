package dev.ccp.server;

import dev.ccp.server.audit.control.AuditLog;
import dev.ccp.server.billing.control.Billing;
import dev.ccp.server.billing.control.Checkouts;
import dev.ccp.server.billing.control.PolarEvents;
import dev.ccp.server.billing.control.Reconciler;
import dev.ccp.server.billing.control.StripeEvents;
import dev.ccp.server.github.control.GitHubInstallations;
import dev.ccp.server.github.control.GitHubJobs;
import dev.ccp.server.github.control.GitHubWebhooks;
import dev.ccp.server.identity.control.CodeEntry;
import dev.ccp.server.identity.control.DeviceFlow;
import dev.ccp.server.identity.control.Memberships;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.identity.control.SignInAttempts;
import dev.ccp.server.identity.control.SignInMethods;
import dev.ccp.server.keys.control.KeyStore;
import dev.ccp.server.org.control.OrgMemberships;
import dev.ccp.server.org.control.SingleSignOn;
import dev.ccp.server.keys.control.Rotations;
import dev.ccp.server.license.control.LicenseService;
import dev.ccp.server.license.control.LicenseStatus;
import dev.ccp.server.org.control.Invites;
import dev.ccp.server.org.control.Members;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.database.Database;
import dev.ccp.server.platform.database.Jobs;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.pages.SignInLimit;
import dev.ccp.server.platform.pages.Templates;
import dev.ccp.server.platform.ratelimit.RateLimiter;
import dev.ccp.server.policy.control.Policies;
import dev.ccp.server.policy.control.PolicyWatch;
import dev.ccp.server.runs.control.QueueWatch;
import dev.ccp.server.slack.control.SlackCommands;
import dev.ccp.server.slack.control.SlackInteractions;
import dev.ccp.server.slack.control.SlackRequests;
import dev.ccp.server.slack.control.SlackTeams;
import dev.ccp.server.runs.control.RunWatch;
import dev.ccp.server.runs.control.Runners;
import dev.ccp.server.runs.control.Runs;
import dev.ccp.server.usage.control.Ingest;
import dev.ccp.server.usage.control.ModelHealth;
import dev.ccp.server.usage.control.RollupStore;
import dev.ccp.server.web.control.WebSessions;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The composition root of the application. Starts the server's foundations once, when the
 * application starts: configuration, the migrated database, and the control objects wired over them
 * ({@link Controls}), which it hands to the boundaries; then the jobs that run on a schedule. A
 * failure here fails the deployment, so a server that answers {@code /health/ready} has all of them.
 */
@ApplicationScoped
public class Platform {

    /** How long used, revoked and expired invites stay listed before they are deleted. */
    static final Duration SPENT_INVITES_KEPT = Duration.ofDays(30);
    /** Rate windows last at most 15 minutes; a day's are kept for looking into an incident. */
    static final Duration RATE_WINDOWS_KEPT = Duration.ofDays(1);

    private Controls controls;
    private final List<ScheduledFuture<?>> jobs = new ArrayList<>();

    @Resource
    ManagedScheduledExecutorService scheduler;
    @Resource
    ManagedThreadFactory threads;
    /** Answers long polls that one change woke, on every core ({@link Controls#answerWokenPollsOn}). */
    private ExecutorService answers;

    @PostConstruct
    void start() {
        ServerConfig config = ServerConfig.fromEnvironment();
        Database database = Database.open(config, threads);
        try {
            controls = new Controls(config, database, Clock.systemUTC());
        } catch (RuntimeException e) {
            // A deployment that fails here must not leave its pool and listening connection behind.
            database.close();
            throw e;
        }
        answers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), threads);
        controls.answerWokenPollsOn(answers);
        long watchMillis = config.getInt("CCP_POLICY_WATCH_MILLIS", 200, 20, 10_000);
        // With PostgreSQL's change notices heard, these polls are only a safety net (ChangeWatch.tick).
        every(watchMillis, TimeUnit.MILLISECONDS, "waking long polls on changed policy channels", controls.policyWatch::tick);
        every(watchMillis, TimeUnit.MILLISECONDS, "waking long polls on runs with new events", () -> {
            controls.runWatch.tick();
            controls.queueWatch.tick();
        });
        every(config.getInt("CCP_RUNNER_CHECK_SECONDS", 10, 1, 3600), TimeUnit.SECONDS, "failing runs whose runner is gone",
                () -> controls.tx.run(em -> controls.runners.expire(em, controls.clock.instant())));
        if (controls.slackRequests.configured()) {
            every(config.getInt("CCP_SLACK_TICK_MILLIS", 500, 50, 60_000), TimeUnit.MILLISECONDS, "keeping Slack messages of runs current",
                    () -> controls.slackMessages.work(controls.tx, controls.clock));
        }
        if (controls.githubApi.configured()) {
            every(config.getInt("CCP_GITHUB_TICK_MILLIS", 500, 50, 60_000), TimeUnit.MILLISECONDS, "reviewing pull requests",
                    () -> controls.pullReviews.work(5));
        }
        once("prune", Duration.ofHours(1), "pruning expired sessions, spent invites and old rate windows", () -> controls.tx.run(em -> {
            Instant now = controls.clock.instant();
            WebSessions.prune(em, now);
            SignInAttempts.prune(em, now);
            SlackRequests.prune(em, now);
            SlackTeams.prune(em, now);
            GitHubJobs.prune(em, now);
            controls.invites.prune(em, SPENT_INVITES_KEPT, now);
            controls.rateLimiter.prune(em, RATE_WINDOWS_KEPT);
            config.auditRetention().ifPresent(keep -> controls.audit.prune(em, keep, now));
        }));
        once("audit-checkpoints", Duration.ofMinutes(config.auditCheckpointMinutes()), "signing audit checkpoints", () -> {
            // One org at a time, so that a long run holds no org's log for long.
            for (String org : controls.tx.call(controls.audit::unsigned)) {
                controls.tx.run(em -> controls.audit.checkpoint(em, org, controls.clock.instant()));
            }
        });
        if (controls.polarApi.configured() || controls.stripeApi.configured()) {
            long minutes = config.getInt("CCP_RECONCILE_MINUTES", 60, 1, 7 * 24 * 60);
            once("reconcile", Duration.ofMinutes(minutes), "reconciling subscriptions with the billing providers", () -> {
                Reconciler.Result result = controls.reconciler.run();
                if (!result.failed().isEmpty()) {
                    Logger.getLogger(Platform.class.getName()).warning("reconciliation could not check " + result.failed());
                }
            });
        }
    }

    /**
     * Runs a job once per {@code period} across every node sharing the database ({@link Jobs}): this
     * node asks at least every minute, and runs it when no node runs it now and its period has passed.
     */
    private void once(String name, Duration period, String what, Runnable job) {
        long askEvery = Math.min(period.toSeconds(), 60);
        every(askEvery, TimeUnit.SECONDS, what, () -> controls.jobs.runIfDue(name, period, job));
    }

    /**
     * Runs a job every {@code period}; a failure is logged and the next run tries again. A job that
     * keeps failing (the database is down) is logged when it starts failing and when it recovers,
     * not every few hundred milliseconds in between.
     */
    private void every(long period, TimeUnit unit, String what, Runnable job) {
        Logger log = Logger.getLogger(Platform.class.getName());
        AtomicBoolean failing = new AtomicBoolean();
        jobs.add(scheduler.scheduleWithFixedDelay(() -> {
            try {
                job.run();
                if (failing.compareAndSet(true, false)) {
                    log.info(what + " works again");
                }
            } catch (RuntimeException e) {
                if (failing.compareAndSet(false, true)) {
                    log.log(Level.WARNING, what + " failed; retrying every " + period + " "
                            + unit.name().toLowerCase(Locale.ROOT) + " until it works", e);
                } else {
                    log.log(Level.FINE, what + " failed again", e);
                }
            }
        }, period, period, unit));
    }

    void eager(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // Touching the bean runs start() at deployment rather than on the first request.
        controls.config.dataDir();
    }

    @PreDestroy
    void stop() {
        jobs.forEach(job -> job.cancel(false));
        controls.close();
        answers.shutdown();
    }

    @Produces
    public ServerConfig config() {
        return controls.config;
    }

    @Produces
    public Database database() {
        return controls.database;
    }

    @Produces
    public Tx tx() {
        return controls.tx;
    }

    @Produces
    public KeyStore keys() {
        return controls.keys;
    }

    @Produces
    public SingleSignOn singleSignOn() {
        return controls.singleSignOn;
    }

    @Produces
    public SignInMethods signInMethods() {
        return controls.signInMethods;
    }

    @Produces
    public Rotations rotations() {
        return controls.rotations;
    }

    @Produces
    public Clock clock() {
        return controls.clock;
    }

    @Produces
    public Templates templates() {
        return controls.templates;
    }

    @Produces
    public LicenseService licenses() {
        return controls.licenses;
    }

    @Produces
    public Members members() {
        return controls.members;
    }

    @Produces
    public Tokens tokens() {
        return controls.tokens;
    }

    @Produces
    public LicenseStatus licenseStatus() {
        return controls.licenseStatus;
    }

    @Produces
    public DeviceFlow deviceFlow() {
        return controls.deviceFlow;
    }

    @Produces
    public CodeEntry codeEntry() {
        return controls.codeEntry;
    }

    @Produces
    public RateLimiter rateLimiter() {
        return controls.rateLimiter;
    }

    @Produces
    public RollupStore rollups() {
        return controls.rollups;
    }

    @Produces
    public Ingest ingest() {
        return controls.ingest;
    }

    @Produces
    public ModelHealth modelHealth() {
        return controls.modelHealth;
    }

    @Produces
    public Billing billing() {
        return controls.billing;
    }

    @Produces
    public PolarEvents polar() {
        return controls.polar;
    }

    @Produces
    public Checkouts checkouts() {
        return controls.checkouts;
    }

    @Produces
    public StripeEvents stripe() {
        return controls.stripe;
    }

    @Produces
    public Policies policies() {
        return controls.policies;
    }

    @Produces
    public PolicyWatch policyWatch() {
        return controls.policyWatch;
    }

    @Produces
    public Runs runs() {
        return controls.runs;
    }

    @Produces
    public RunWatch runWatch() {
        return controls.runWatch;
    }

    @Produces
    public Runners runners() {
        return controls.runners;
    }

    @Produces
    public QueueWatch queueWatch() {
        return controls.queueWatch;
    }

    @Produces
    public SlackRequests slackRequests() {
        return controls.slackRequests;
    }

    @Produces
    public SlackTeams slackTeams() {
        return controls.slackTeams;
    }

    @Produces
    public SlackCommands slackCommands() {
        return controls.slackCommands;
    }

    @Produces
    public SlackInteractions slackInteractions() {
        return controls.slackInteractions;
    }

    @Produces
    public GitHubWebhooks githubWebhooks() {
        return controls.githubWebhooks;
    }

    @Produces
    public GitHubInstallations githubInstallations() {
        return controls.githubInstallations;
    }

    @Produces
    public AuditLog audit() {
        return controls.audit;
    }

    @Produces
    public SignInLimit signInLimit() {
        return controls.signInLimit;
    }

    @Produces
    public Invites invites() {
        return controls.invites;
    }

    @Produces
    public Memberships memberships() {
        return controls.memberships;
    }

    /** The org feature's side of {@link Memberships}, for its own invite page, which learns more than identity asks. */
    @Produces
    @Typed(OrgMemberships.class)
    public OrgMemberships orgMemberships() {
        return controls.memberships;
    }

    @Produces
    public Reconciler reconciler() {
        return controls.reconciler;
    }
}
