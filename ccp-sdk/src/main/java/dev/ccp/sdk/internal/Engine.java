package dev.ccp.sdk.internal;

import dev.ccp.sdk.Account;
import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.CcpException.Kind;
import dev.ccp.sdk.LoginOptions;
import dev.ccp.sdk.LoginResult;
import dev.ccp.sdk.LogoutResult;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.store.CredentialStore;
import dev.ccp.spi.store.Credentials;
import dev.ccp.spi.wire.AddMemberRequest;
import dev.ccp.spi.wire.CheckoutRequest;
import dev.ccp.spi.wire.CheckoutResponse;
import dev.ccp.spi.wire.GitHubInstallationView;
import dev.ccp.spi.wire.InviteRequest;
import dev.ccp.spi.wire.InviteView;
import dev.ccp.spi.wire.LicenseStatusResponse;
import dev.ccp.spi.wire.Me;
import dev.ccp.spi.wire.Member;
import dev.ccp.spi.wire.PolicyVersionView;
import dev.ccp.spi.wire.SeatsView;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * What {@code CcpClient} does, behind its API: sessions and the calls made on their behalf. Login
 * lives in {@link LoginFlow}, the license pack in {@link Licenses}, usage in {@link UsageEngine}.
 */
public final class Engine {

    final Config config;
    final Tokens tokens;
    final PinStore pins;
    final LastSeen lastSeen;
    public final AuditMemory auditMemory;
    final LicenseKeeper pack;
    /** Made on first use: its TLS set-up costs an offline command more than the rest of its work. */
    private volatile HttpClient http;
    private final Map<String, Api> apis = new ConcurrentHashMap<>();
    private final Licenses licenses;
    private final UsageEngine usage;
    private final Map<String, PolicyEngine> policies = new ConcurrentHashMap<>();
    private final Map<String, PolicyPoller> pollers = new ConcurrentHashMap<>();

    public Engine(Config config) {
        this.config = config;
        CredentialStore store = config.store() != null ? config.store()
                : new FileCredentialStore(config.home().resolve(Config.CREDENTIALS));
        this.tokens = new Tokens(store, config.home().resolve(Config.LOCK), config.clock());
        this.pins = new PinStore(config.home().resolve(Config.PINS));
        this.lastSeen = new LastSeen(config.home().resolve(Config.STATE));
        this.auditMemory = new AuditMemory(config.home().resolve(Config.AUDIT));
        this.pack = new LicenseKeeper(config.home().resolve(Config.LICENSE), lastSeen, config.clock());
        this.licenses = new Licenses(this);
        this.usage = new UsageEngine(this, config.usage());
    }

    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                if (http == null) {
                    http = HttpClient.newBuilder()
                            .connectTimeout(config.httpTimeout())
                            // A redirect could carry the bearer token to another host; the API never redirects.
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .build();
                }
                client = http;
            }
        }
        return client;
    }

    public Licenses licenses() {
        return licenses;
    }

    public UsageEngine usage() {
        return usage;
    }

    /** The policy of one channel, loaded from the cache or the bundled pack on first use. */
    public PolicyEngine policy(String channel) {
        return policies.computeIfAbsent(PolicyChannels.check(channel), c -> new PolicyEngine(this, c));
    }

    /** Starts the long poll of a channel, unless the client is offline. */
    public void startPolicy(String channel) {
        if (!config.policy().offline()) {
            pollers.computeIfAbsent(channel, c -> new PolicyPoller(policy(c), config.policy().longPoll())).start();
        }
    }

    public void closePolicies() {
        pollers.values().forEach(PolicyPoller::close);
    }

    public PolicyChannels policyChannels() {
        return new PolicyChannels(config.home().resolve(Config.POLICY));
    }

    public PolicyVersionView publishPolicy(String channel, String document) {
        return authorized((api, token) -> api.publishPolicy(token, PolicyChannels.check(channel), document));
    }

    public PolicyVersionView promotePolicy(long devVersion) {
        return authorized((api, token) -> api.promotePolicy(token, devVersion));
    }

    public List<PolicyVersionView> policyHistory(String channel) {
        return authorized((api, token) -> api.policyHistory(token, PolicyChannels.check(channel)));
    }

    public LoginResult login(LoginOptions options) {
        return new LoginFlow(this).run(options);
    }

    /** The configured server, else the one the credentials name. */
    public Optional<URI> server() {
        if (config.server() != null) {
            return Optional.of(config.server());
        }
        return tokens.load().map(c -> URI.create(c.server()));
    }

    public Optional<Account> account() {
        return tokens.load().filter(this::forConfiguredServer)
                .map(c -> new Account(URI.create(c.server()), c.login(), c.org()));
    }

    public String accessToken() {
        Credentials session = session();
        return tokens.access(api(session.server()), session);
    }

    public Me me() {
        return authorized(Api::me);
    }

    public LicenseStatusResponse licenseStatus() {
        return authorized(Api::licenseStatus);
    }

    public List<Member> members(String org) {
        return authorized((api, token) -> api.members(token, org));
    }

    public Member addMember(String org, String login, String role, boolean seat) {
        return authorized((api, token) -> api.addMember(token, org, new AddMemberRequest(login, role, seat)));
    }

    public CheckoutResponse checkout(CheckoutRequest request) {
        return authorized((api, token) -> api.checkout(token, request));
    }

    public void removeMember(String org, String login) {
        authorized((api, token) -> {
            api.removeMember(token, org, login);
            return null;
        });
    }

    public Member changeRole(String org, String login, String role) {
        return authorized((api, token) -> api.changeRole(token, org, login, role));
    }

    public Member assignSeat(String org, String login) {
        return authorized((api, token) -> api.assignSeat(token, org, login));
    }

    public Member unassignSeat(String org, String login) {
        return authorized((api, token) -> api.unassignSeat(token, org, login));
    }

    public InviteView createInvite(String org, InviteRequest request) {
        return authorized((api, token) -> api.createInvite(token, org, request));
    }

    public List<InviteView> invites(String org) {
        return authorized((api, token) -> api.invites(token, org));
    }

    public void revokeInvite(String org, String id) {
        authorized((api, token) -> {
            api.revokeInvite(token, org, id);
            return null;
        });
    }

    public InviteView resendInvite(String org, String id) {
        return authorized((api, token) -> api.resendInvite(token, org, id));
    }

    public Map<String, Object> auditPage(String org, String query) {
        return authorized((api, token) -> api.auditPage(token, org, query));
    }

    /** The export, after pinning the server's audit keys if the pins predate them, so that it can be checked offline. */
    public String auditExport(String org, String query) {
        String file = authorized((api, token) -> api.auditExport(token, org, query));
        extendPins();
        return file;
    }

    public SeatsView seats(String org) {
        return authorized((api, token) -> api.seats(token, org));
    }

    public List<GitHubInstallationView> gitHubInstallations(String org) {
        return authorized((api, token) -> api.gitHubInstallations(token, org));
    }

    public GitHubInstallationView connectGitHubInstallation(String org, long id) {
        return authorized((api, token) -> api.connectGitHubInstallation(token, org, id));
    }

    public void disconnectGitHubInstallation(String org, long id) {
        authorized((api, token) -> {
            api.disconnectGitHubInstallation(token, org, id);
            return null;
        });
    }

    /** Revokes on the server first, then deletes the local files whatever the server said; pins stay. */
    public LogoutResult logout() {
        Optional<Credentials> session;
        try {
            session = tokens.load();
        } catch (CcpException e) {
            // Damaged credentials name no session the server could revoke; deleting them is still what was asked.
            tokens.delete();
            pack.delete();
            return new LogoutResult(true, false, e.getMessage());
        }
        if (session.isEmpty()) {
            pack.delete();
            return new LogoutResult(false, false, null);
        }
        String failure = null;
        try {
            if (session.get().refreshToken() != null) {
                api(session.get().server()).revoke(session.get().refreshToken());
            }
        } catch (CcpException e) {
            failure = e.getMessage();
        } finally {
            tokens.delete();
            pack.delete();
        }
        return new LogoutResult(true, failure == null, failure);
    }

    /** The credentials for the configured server. */
    Credentials session() {
        Credentials session = tokens.load().orElseThrow(() -> new CcpException(Kind.NOT_LOGGED_IN, "not logged in"));
        if (!forConfiguredServer(session)) {
            throw new CcpException(Kind.NOT_LOGGED_IN, "not logged in to " + trim(config.server().toString())
                    + " (the session is for " + session.server() + ")");
        }
        return session;
    }

    /** Calls the API with a fresh access token; after a 401 the token is renewed once and the call repeated. */
    <T> T authorized(BiFunction<Api, String, T> call) {
        Credentials session = session();
        Api api = api(session.server());
        String token = tokens.access(api, session);
        try {
            return call.apply(api, token);
        } catch (CcpException e) {
            if (e.kind() != Kind.UNAUTHORIZED) {
                throw e;
            }
            return call.apply(api, tokens.renew(api, session.server(), token));
        }
    }

    Api api(String server) {
        return apis.computeIfAbsent(trim(server),
                s -> new Api(http(), URI.create(s), config.httpTimeout(), config.clientId()));
    }

    /**
     * Pins the server's keys of a purpose the pins predate (policy keys, audit keys), as the first
     * login pinned the rest; a changed key of a pinned purpose is still refused. True when something
     * was pinned.
     */
    boolean extendPins() {
        if (config.builtinKeys() != null) {
            return false;
        }
        String server = session().server();
        KeyRing current = api(server).packKeys();
        List<String> added = pins.check(server, current, false);
        if (added.isEmpty()) {
            return false;
        }
        pins.pin(server, current, config.clock().instant());
        Log.of(Engine.class).log(System.Logger.Level.INFO, "pinned the keys of " + server + ": " + added);
        return true;
    }

    /** The keys that vouch for what the logged-in server signs, offline: built in, else pinned, else none. */
    public KeyRing trustedKeys() {
        return trusted(tokens.load().map(Credentials::server).orElse(config.server() == null ? null : config.server().toString()));
    }

    /** The keys license packs from {@code server} must verify against: built in, else pinned, else none. */
    KeyRing trusted(String server) {
        if (config.builtinKeys() != null) {
            return config.builtinKeys();
        }
        return server == null ? KeyRing.of() : pins.pinned(server).orElse(KeyRing.of());
    }

    private boolean forConfiguredServer(Credentials session) {
        return config.server() == null || trim(config.server().toString()).equals(trim(session.server()));
    }

    static String trim(String server) {
        return server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    }
}
