package dev.ccp.sdk;

import dev.ccp.sdk.internal.Config;
import dev.ccp.sdk.internal.Engine;
import dev.ccp.sdk.internal.PackKeys;
import dev.ccp.sdk.internal.PolicyChannels;
import dev.ccp.sdk.internal.PolicySettings;
import dev.ccp.sdk.internal.ServerUrl;
import dev.ccp.sdk.internal.UsageEngine;
import dev.ccp.sdk.internal.UsageSettings;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.policy.PolicyPackCodec;
import dev.ccp.spi.store.CredentialStore;
import dev.ccp.spi.store.UsageStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Builds a {@link CcpClient}. Each setting is checked when it is set, so a mistake points at the line
 * that made it; only {@link #home} is required.
 */
public final class CcpClientBuilder {

    /** The OAuth client id of the {@code ccp} command-line tool; host tools should set their own. */
    public static final String DEFAULT_CLIENT_ID = "ccp-cli";
    public static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(30);

    private URI server;
    private Path home;
    private Clock clock = Clock.systemUTC();
    private String clientId = DEFAULT_CLIENT_ID;
    private KeyRing trustedKeys;
    private CredentialStore credentialStore;
    private Duration httpTimeout = DEFAULT_HTTP_TIMEOUT;
    private Sleeper sleeper = Sleeper.system();
    private Path usageHome;
    private UsageStore usageStore;
    private Duration usageRetention = UsageSettings.DEFAULT_RETENTION;
    private Executor usageExecutor;
    private int usageBatchSize = UsageSettings.DEFAULT_BATCH_SIZE;
    private Duration usageFlushInterval = UsageSettings.DEFAULT_FLUSH_INTERVAL;
    private int usageCapacity = UsageSettings.DEFAULT_CAPACITY;
    private final Map<String, String> policyBootstrap = new HashMap<>();
    private boolean offline;
    private Duration policyWait = PolicySettings.DEFAULT_WAIT;

    CcpClientBuilder() {
    }

    /**
     * The server's base URL, such as {@code https://ccp.example.com}. Without it the client uses the
     * server named by the stored credentials, and {@link CcpClient#login} needs it.
     */
    public CcpClientBuilder server(URI server) {
        this.server = ServerUrl.check(Objects.requireNonNull(server, "server"));
        return this;
    }

    /** The folder for credentials, the license pack, pins and state; created owner-only when missing. */
    public CcpClientBuilder home(Path home) {
        this.home = Objects.requireNonNull(home, "home");
        return this;
    }

    public CcpClientBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    public CcpClientBuilder clientId(String clientId) {
        if (clientId == null || clientId.isBlank() || clientId.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("clientId must be a non-blank token: " + clientId);
        }
        this.clientId = clientId;
        return this;
    }

    /**
     * License and policy keys built into the host tool, as a JWKS; only the {@code license-…} and
     * {@code policy-…} keys are used, each for its own kind of pack. With them nothing is pinned:
     * packs must verify against exactly these keys.
     */
    public CcpClientBuilder trustedKeys(String jwksJson) {
        Objects.requireNonNull(jwksJson, "jwksJson");
        KeyRing keys = KeyRing.parseJwks(jwksJson).filter(k -> PackKeys.verifiedOffline(k.kid()));
        if (keys.forPurpose(PackKeys.LICENSE).isEmpty()) {
            throw new IllegalArgumentException("trustedKeys holds no Ed25519 key whose kid starts with license-");
        }
        this.trustedKeys = keys;
        return this;
    }

    /** Where to keep credentials instead of {@code credentials.json} under home (an OS keychain, say). */
    public CcpClientBuilder credentialStore(CredentialStore credentialStore) {
        this.credentialStore = Objects.requireNonNull(credentialStore, "credentialStore");
        return this;
    }

    /** How long to wait for the server to connect and to answer each request. */
    public CcpClientBuilder httpTimeout(Duration httpTimeout) {
        Objects.requireNonNull(httpTimeout, "httpTimeout");
        if (httpTimeout.isZero() || httpTimeout.isNegative()) {
            throw new IllegalArgumentException("httpTimeout must be positive: " + httpTimeout);
        }
        this.httpTimeout = httpTimeout;
        return this;
    }

    /**
     * The folder of the usage store's file, {@code usage.mv.db}; default: {@link #home}. A command-line
     * tool may keep its data apart from its configuration (XDG's data folder).
     */
    public CcpClientBuilder usageHome(Path usageHome) {
        this.usageHome = Objects.requireNonNull(usageHome, "usageHome");
        return this;
    }

    /** Where to keep usage instead of the embedded database; the client closes it when it is closed. */
    public CcpClientBuilder usageStore(UsageStore usageStore) {
        this.usageStore = Objects.requireNonNull(usageStore, "usageStore");
        return this;
    }

    /**
     * How long raw usage events are kept (default 30 days, at least an hour, at most 400 days). Their
     * hourly rollups are kept 400 days whatever this says.
     */
    public CcpClientBuilder usageRetention(Duration usageRetention) {
        Objects.requireNonNull(usageRetention, "usageRetention");
        if (usageRetention.compareTo(Duration.ofHours(1)) < 0 || usageRetention.compareTo(UsageEngine.ROLLUP_RETENTION) > 0) {
            throw new IllegalArgumentException("usageRetention must be between 1 hour and 400 days: " + usageRetention);
        }
        this.usageRetention = usageRetention;
        return this;
    }

    /**
     * Where usage is written in the background; default: a daemon thread of the client's own, which
     * also writes every flush interval. With an executor of your own, writes are handed to it when a
     * batch fills or the interval has passed at the next event, and on {@link Usage#flush()} and
     * {@link CcpClient#close()}; tests pass {@code Runnable::run} to write on the recording thread.
     */
    public CcpClientBuilder usageExecutor(Executor usageExecutor) {
        this.usageExecutor = Objects.requireNonNull(usageExecutor, "usageExecutor");
        return this;
    }

    /**
     * When buffered usage is written: once {@code batchSize} events wait (default 500), or once the
     * oldest has waited {@code flushInterval} (default 10 s).
     */
    public CcpClientBuilder usageBatching(int batchSize, Duration flushInterval) {
        Objects.requireNonNull(flushInterval, "flushInterval");
        if (batchSize < 1 || batchSize > 100_000) {
            throw new IllegalArgumentException("batchSize must be between 1 and 100000: " + batchSize);
        }
        if (flushInterval.isZero() || flushInterval.isNegative()) {
            throw new IllegalArgumentException("flushInterval must be positive: " + flushInterval);
        }
        this.usageBatchSize = batchSize;
        this.usageFlushInterval = flushInterval;
        return this;
    }

    /**
     * How many events wait in memory at most (default 10000); beyond that, while the store cannot keep
     * up or keeps failing, new events are dropped and counted in {@link Usage#status()}.
     */
    public CcpClientBuilder usageBuffer(int capacity) {
        if (capacity < 1 || capacity > 10_000_000) {
            throw new IllegalArgumentException("capacity must be between 1 and 10000000: " + capacity);
        }
        this.usageCapacity = capacity;
        return this;
    }

    /**
     * How to wait between device-login polls, between export retries, and for a usage store another
     * process holds; tests pass one that advances a fake clock.
     */
    public CcpClientBuilder sleeper(Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        return this;
    }

    /**
     * A signed policy pack bundled with the host tool, used on a first start without network (when
     * nothing is cached). It is verified like any other pack, except that its age is expected: it
     * stays usable after its expiry, and is reported with source {@code BOOTSTRAP} until the server
     * answers. Call once per channel. It verifies against {@link #trustedKeys}, or against the keys
     * pinned at an earlier login: a tool that may start before any login needs built-in keys.
     *
     * @throws IllegalArgumentException when the text is not a policy pack
     */
    public CcpClientBuilder policyBootstrap(String pack) {
        Objects.requireNonNull(pack, "pack");
        String channel = PolicyPackCodec.unverifiedClaims(pack.strip()).channel();
        policyBootstrap.put(PolicyChannels.check(channel), pack.strip());
        return this;
    }

    /** Never ask the server for policies: the cache and the bundled packs only. */
    public CcpClientBuilder offline(boolean offline) {
        this.offline = offline;
        return this;
    }

    /** How long the server may hold a policy long poll (1 to 60 s, default 50 s). */
    public CcpClientBuilder policyWait(Duration policyWait) {
        Objects.requireNonNull(policyWait, "policyWait");
        if (policyWait.compareTo(Duration.ofSeconds(1)) < 0 || policyWait.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("policyWait must be between 1 and 60 seconds: " + policyWait);
        }
        this.policyWait = policyWait;
        return this;
    }

    /** @throws IllegalStateException when {@link #home} was not set */
    public CcpClient build() {
        if (home == null) {
            throw new IllegalStateException("home is required");
        }
        UsageSettings usage = new UsageSettings(usageHome, usageStore, usageRetention, usageExecutor,
                usageBatchSize, usageFlushInterval, usageCapacity);
        return new CcpClient(new Engine(new Config(server, home, clock, clientId, trustedKeys,
                credentialStore, httpTimeout, sleeper, usage, new PolicySettings(policyBootstrap, offline, policyWait))));
    }
}
