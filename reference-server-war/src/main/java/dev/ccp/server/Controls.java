package dev.ccp.server;

import dev.ccp.server.audit.control.AuditLog;
import dev.ccp.server.billing.control.Billing;
import dev.ccp.server.billing.control.Checkouts;
import dev.ccp.server.billing.control.PolarEvents;
import dev.ccp.server.billing.control.ProviderApi;
import dev.ccp.server.billing.control.ProviderPlans;
import dev.ccp.server.billing.control.Reconciler;
import dev.ccp.server.billing.control.StripeEvents;
import dev.ccp.server.github.control.GitHubApi;
import dev.ccp.server.github.control.GitHubInstallations;
import dev.ccp.server.github.control.GitHubJobs;
import dev.ccp.server.github.control.GitHubWebhooks;
import dev.ccp.server.github.control.PullReviews;
import dev.ccp.server.identity.control.CodeEntry;
import dev.ccp.server.identity.control.DeviceFlow;
import dev.ccp.server.identity.control.GitHubSignIn;
import dev.ccp.server.identity.control.OidcSignIn;
import dev.ccp.server.identity.control.SignInMethods;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.keys.control.KeyPurpose;
import dev.ccp.server.keys.control.KeyStore;
import dev.ccp.server.keys.control.SecretBox;
import dev.ccp.server.keys.control.Rotations;
import dev.ccp.server.license.control.LicenseService;
import dev.ccp.server.license.control.LicenseStatus;
import dev.ccp.server.license.control.Standings;
import dev.ccp.server.license.control.Plans;
import dev.ccp.server.org.control.Invites;
import dev.ccp.server.org.control.Members;
import dev.ccp.server.org.control.OrgMemberships;
import dev.ccp.server.org.control.SingleSignOn;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.database.Database;
import dev.ccp.server.platform.database.Jobs;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.pages.SignInLimit;
import dev.ccp.server.platform.pages.Templates;
import dev.ccp.server.platform.ratelimit.RateLimiter;
import dev.ccp.server.policy.control.Policies;
import dev.ccp.server.policy.control.PolicySchema;
import dev.ccp.server.runs.control.QueueWatch;
import dev.ccp.server.runs.control.RunWatch;
import dev.ccp.server.runs.control.Runners;
import dev.ccp.server.runs.control.Runs;
import dev.ccp.server.policy.control.PolicyWatch;
import dev.ccp.server.slack.control.SlackApi;
import dev.ccp.server.slack.control.SlackCommands;
import dev.ccp.server.slack.control.SlackInteractions;
import dev.ccp.server.slack.control.SlackMessages;
import dev.ccp.server.slack.control.SlackRequests;
import dev.ccp.server.slack.control.SlackTeams;
import dev.ccp.server.usage.control.Ingest;
import dev.ccp.server.usage.control.ModelHealth;
import dev.ccp.server.usage.control.RollupStore;
import dev.ccp.server.usage.control.UsageWindows;
import dev.ccp.server.web.control.WebSessions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The server's control objects, wired once from its configuration, database and clock: the one
 * place that knows every feature. {@link Platform} makes them for the application and the tests'
 * fixture makes them over a test database, so both run the same wiring.
 */
public final class Controls implements AutoCloseable {

    public final ServerConfig config;
    public final Database database;
    public final Clock clock;
    public final Tx tx;
    public final KeyStore keys;
    public final Templates templates = new Templates();
    public final AuditLog audit;
    public final Rotations rotations;
    public final LicenseService licenses;
    public final Invites invites;
    public final OrgMemberships memberships;
    public final SingleSignOn singleSignOn;
    public final SignInMethods signInMethods;
    public final Tokens tokens;
    public final Standings standings;
    public final LicenseStatus licenseStatus;
    public final Members members;
    public final DeviceFlow deviceFlow;
    public final RateLimiter rateLimiter;
    public final CodeEntry codeEntry;
    public final SignInLimit signInLimit;
    public final Billing billing;
    public final ProviderApi polarApi;
    public final ProviderApi stripeApi;
    public final PolarEvents polar;
    public final StripeEvents stripe;
    public final Checkouts checkouts;
    public final Reconciler reconciler;
    public final RollupStore rollups = new RollupStore();
    public final Ingest ingest;
    public final ModelHealth modelHealth;
    public final Policies policies;
    public final Jobs jobs;
    public final PolicyWatch policyWatch;
    public final Runs runs;
    public final RunWatch runWatch;
    public final Runners runners;
    public final QueueWatch queueWatch;
    public final SlackRequests slackRequests;
    public final SlackTeams slackTeams;
    public final SlackMessages slackMessages;
    public final SlackCommands slackCommands;
    public final SlackInteractions slackInteractions;
    public final GitHubApi githubApi;
    public final GitHubJobs githubJobs;
    public final GitHubWebhooks githubWebhooks;
    public final GitHubInstallations githubInstallations;
    public final PullReviews pullReviews;

    public Controls(ServerConfig config, Database database, Clock clock) {
        this.config = config;
        this.database = database;
        this.clock = clock;
        tx = new Tx(database);
        jobs = new Jobs(database.dataSource(), clock);
        keys = new KeyStore(config.keysDir());
        SecretBox secrets = SecretBox.in(config.keysDir());
        // Secrets stored before they were sealed are sealed now, once, by whichever node starts first.
        tx.run(em -> {
            secrets.sealStored(em, "org_sso", "org_id", "client_secret");
            secrets.sealStored(em, "slack_teams", "team_id", "bot_token");
        });
        database.notifications().on(Rotations.NOTICE, purpose -> keys.reloadNow());
        audit = new AuditLog(() -> keys.signer(KeyPurpose.AUDIT), () -> keys.verifiers(KeyPurpose.AUDIT));
        rotations = new Rotations(keys, audit, tx, clock, database.notifications());
        Plans plans = Plans.load(config.plansFile());
        licenses = new LicenseService(plans, keys, config, audit);
        invites = new Invites(licenses, audit);
        memberships = new OrgMemberships(invites, audit);
        tokens = new Tokens(keys, config, memberships, WebSessions::endAll);
        standings = new Standings(tx, tokens, licenses, database);
        licenseStatus = new LicenseStatus(tokens, licenses, standings);
        singleSignOn = new SingleSignOn(audit, tokens, secrets);
        signInMethods = new SignInMethods(config.standInLogin(), config.get("CCP_GITHUB_CLIENT_ID")
                .map(id -> new GitHubSignIn(id, config.get("CCP_GITHUB_CLIENT_SECRET").orElseThrow(() ->
                        new IllegalStateException("CCP_GITHUB_CLIENT_ID is set, so CCP_GITHUB_CLIENT_SECRET must be too")),
                        config.get("CCP_GITHUB_URL", "https://github.com"), config.get("CCP_GITHUB_API_URL", "https://api.github.com")))
                .orElse(null), new OidcSignIn(clock), singleSignOn);
        members = new Members(licenses, tokens, audit);
        deviceFlow = new DeviceFlow(config);
        rateLimiter = new RateLimiter(clock, database.entityManagerFactory());
        codeEntry = new CodeEntry(deviceFlow, rateLimiter, config.deviceGuessesPerMinute());
        signInLimit = new SignInLimit(rateLimiter, config);
        billing = new Billing(licenses, members);
        ProviderPlans polarProducts = ProviderPlans.parse("CCP_POLAR_PRODUCTS", config.get("CCP_POLAR_PRODUCTS"), plans);
        ProviderPlans stripePrices = ProviderPlans.parse("CCP_STRIPE_PRICES", config.get("CCP_STRIPE_PRICES"), plans);
        polarApi = new ProviderApi("Polar", config.get("CCP_POLAR_API_URL", "https://api.polar.sh"),
                config.get("CCP_POLAR_TOKEN").orElse(null));
        stripeApi = new ProviderApi("Stripe", config.get("CCP_STRIPE_API_URL", "https://api.stripe.com"),
                config.get("CCP_STRIPE_KEY").orElse(null));
        polar = new PolarEvents(config.polarWebhookSecret().orElse(null), polarProducts, polarApi, clock);
        stripe = new StripeEvents(config.stripeWebhookSecret().orElse(null), stripePrices, stripeApi, clock);
        checkouts = new Checkouts(polarApi, polarProducts, stripeApi, stripePrices, config.billingProvider());
        reconciler = new Reconciler(tx, billing, polar, stripe, clock);
        ingest = new Ingest(tx, tokens, standings, licenses, rateLimiter, rollups, config.ingestPerMinute());
        modelHealth = new ModelHealth(new UsageWindows(database.dataSource()));
        policies = new Policies(keys, new PolicySchema(), config.policyTtl(), audit);
        policyWatch = new PolicyWatch(database.dataSource());
        policyWatch.listen(database.notifications());
        runs = new Runs(policies, rateLimiter, audit, config.getInt("CCP_RUNS_PER_MINUTE", 30, 1, 100_000),
                config.getInt("CCP_RUN_STEP_BYTES", Runs.DEFAULT_STEP_BYTES, 1024, 64 * 1024 * 1024));
        runWatch = new RunWatch(database.dataSource());
        runWatch.listen(database.notifications());
        runners = new Runners(runs, audit, Duration.ofSeconds(config.getInt("CCP_RUNNER_TIMEOUT_SECONDS", 60, 5, 86_400)));
        queueWatch = new QueueWatch(database.dataSource());
        queueWatch.listen(database.notifications());
        slackRequests = new SlackRequests(config.get("CCP_SLACK_SIGNING_SECRET").orElse(null));
        SlackApi slackApi = new SlackApi(config.get("CCP_SLACK_API_URL", "https://slack.com/api"),
                config.get("CCP_SLACK_CLIENT_ID").orElse(null), config.get("CCP_SLACK_CLIENT_SECRET").orElse(null));
        slackTeams = new SlackTeams(slackApi, audit, secrets);
        slackMessages = new SlackMessages(slackApi, slackTeams, runs, Duration.ofSeconds(config.getInt("CCP_SLACK_UPDATE_SECONDS", 3, 1, 600)));
        slackCommands = new SlackCommands(slackTeams, slackMessages, runs, runners, licenses);
        slackInteractions = new SlackInteractions(slackTeams, slackMessages, runs);
        githubApi = new GitHubApi(config.get("CCP_GITHUB_API_URL", "https://api.github.com"), config.get("CCP_GITHUB_APP_ID").orElse(null),
                config.get("CCP_GITHUB_PRIVATE_KEY").orElse(null), clock);
        githubJobs = new GitHubJobs(config.getInt("CCP_GITHUB_WRITES_PER_WINDOW", 60, 1, 100_000),
                Duration.ofSeconds(config.getInt("CCP_GITHUB_WRITE_WINDOW_SECONDS", 60, 1, 3600)));
        githubWebhooks = new GitHubWebhooks(config.get("CCP_GITHUB_WEBHOOK_SECRET").orElse(null), githubJobs, audit);
        githubInstallations = new GitHubInstallations(githubApi, audit);
        pullReviews = new PullReviews(githubApi, githubJobs, policies, tx, clock, config.getInt("CCP_GITHUB_MAX_ANNOTATIONS", 1000, 50, 50_000));
    }

    /** Answers the long polls its watches wake on {@code executor} ({@link dev.ccp.server.platform.database.ChangeWatch#answerOn}). */
    public void answerWokenPollsOn(Executor executor) {
        policyWatch.answerOn(executor);
        runWatch.answerOn(executor);
        queueWatch.answerOn(executor);
    }

    @Override
    public void close() {
        policyWatch.close();
        runWatch.close();
        queueWatch.close();
        database.close();
    }
}
