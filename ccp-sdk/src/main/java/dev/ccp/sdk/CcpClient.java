package dev.ccp.sdk;

import dev.ccp.sdk.internal.Engine;
import dev.ccp.spi.audit.AuditChain;
import dev.ccp.spi.audit.AuditCheckpoint;
import dev.ccp.spi.audit.AuditExport;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.audit.AuditEntry;
import dev.ccp.spi.wire.CheckoutRequest;
import dev.ccp.spi.wire.CheckoutResponse;
import dev.ccp.spi.wire.GitHubInstallationView;
import dev.ccp.spi.wire.InviteRequest;
import dev.ccp.spi.wire.InviteView;
import dev.ccp.spi.wire.JsonValues;
import dev.ccp.spi.wire.LicenseStatusResponse;
import dev.ccp.spi.wire.Me;
import dev.ccp.spi.wire.Member;
import dev.ccp.spi.wire.PolicyVersionView;
import dev.ccp.spi.wire.SeatsView;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The CCP client: device login, the license pack verified offline, the account calls a host tool
 * needs, and {@linkplain #usage() usage} recording. Thread-safe; make one per home, keep it, and close
 * it when the tool exits so that buffered usage is written.
 *
 * <pre>{@code
 * try (CcpClient ccp = CcpClient.builder().home(home).trustedKeys(BUILT_IN_JWKS).build()) {
 *     if (ccp.currentLicense().entitled("zai_offload")) { … }
 *     ccp.usage().record(event);
 * }
 * }</pre>
 *
 * <p>Offline methods ({@link #license()}, {@link #currentLicense()}) never throw for expected
 * failures: a missing or bad pack is a {@link License#status()}. Online methods throw
 * {@link CcpException} with a {@link CcpException.Kind}.
 */
public final class CcpClient implements AutoCloseable {

    private final Engine engine;
    private final Usage usage;
    private final Runs runs;
    private final Map<String, PolicyClient> policies = new ConcurrentHashMap<>();

    CcpClient(Engine engine) {
        this.engine = engine;
        this.usage = new Usage(engine.usage());
        this.runs = new Runs(engine);
    }

    public static CcpClientBuilder builder() {
        return new CcpClientBuilder();
    }

    /**
     * Logs in with the device flow: shows a code through the listener, polls until the person approves
     * it (as often as the server allows), pins or checks the server's license keys, then stores the
     * credentials and the verified license pack.
     *
     * @throws CcpException {@link CcpException.Kind#LOGIN_DENIED}, {@link CcpException.Kind#LOGIN_EXPIRED},
     *     {@link CcpException.Kind#KEY_CHANGED} (unless {@link LoginOptions#withRepin repinning}),
     *     {@link CcpException.Kind#SERVER_UNREACHABLE}, …
     * @throws IllegalStateException when no server is configured and none is stored
     */
    public LoginResult login(LoginOptions options) {
        return engine.login(Objects.requireNonNull(options, "options"));
    }

    /** Logs in to {@code org} (null: the server's choice for the person). */
    public LoginResult login(String org, LoginListener listener) {
        return login(LoginOptions.of(listener).withOrg(org));
    }

    /** Verifies the stored pack offline against the built-in or pinned keys. No network; never throws. */
    public License license() {
        return engine.licenses().offline();
    }

    /**
     * Like {@link #license()}, and when the pack is due for renewal ({@code refresh_after} passed) or no
     * longer grants, fetches a fresh one first. When that fails, the stored pack is returned as it is
     * and the next attempt waits a while (a minute, doubling to an hour). Never throws.
     */
    public License currentLicense() {
        return engine.licenses().current();
    }

    /**
     * Fetches a fresh pack now and stores it once it verifies.
     *
     * @throws CcpException on any failure; the stored pack is then left as it was, except when the
     *     server says the person has no seat any more ({@code FORBIDDEN}, problem {@code no-seat}),
     *     which deletes it
     */
    public License refresh() {
        return engine.licenses().refresh();
    }

    /**
     * Asks the server for its view of the license; when it differs from the stored pack (plan, state,
     * seat, entitlements) or the pack does not grant, the pack is fetched again.
     */
    public LicenseStatusResponse serverStatus() {
        return engine.licenses().serverStatus();
    }

    /** A valid access token, renewed first when it expires within a minute. */
    public String accessToken() {
        return engine.accessToken();
    }

    public Me me() {
        return engine.me();
    }

    public List<Member> members(String org) {
        return engine.members(requireText(org, "org"));
    }

    public Member addMember(String org, String login, String role, boolean seat) {
        return engine.addMember(requireText(org, "org"), requireText(login, "login"), role, seat);
    }

    /**
     * Starts buying a plan for the org of this login (owners and admins): answers the billing
     * provider's checkout page to open.
     *
     * @param seats    seats to buy, or null for the plan's own
     * @param provider {@code polar} or {@code stripe}, or null for the server's default
     */
    public CheckoutResponse checkout(String plan, Integer seats, String provider) {
        return engine.checkout(new CheckoutRequest(requireText(plan, "plan"), seats, provider, null));
    }

    /** Removes a member (owners and admins), or, given one's own login, leaves the org. */
    public void removeMember(String org, String login) {
        engine.removeMember(requireText(org, "org"), requireText(login, "login"));
    }

    /** Gives a member the role {@code owner}, {@code admin} or {@code member} (owners and admins; only owners touch owners). */
    public Member changeRole(String org, String login, String role) {
        return engine.changeRole(requireText(org, "org"), requireText(login, "login"), requireText(role, "role"));
    }

    /** Gives a member a seat while the plan has one free (owners and admins). */
    public Member assignSeat(String org, String login) {
        return engine.assignSeat(requireText(org, "org"), requireText(login, "login"));
    }

    /** Takes a member's seat back; they keep the free entitlements (owners and admins). */
    public Member unassignSeat(String org, String login) {
        return engine.unassignSeat(requireText(org, "org"), requireText(login, "login"));
    }

    /**
     * Invites a person by email or GitHub handle (they join at their next login), or makes a
     * single-use link when {@code login} is null, whose {@code url} the answer holds once (owners and
     * admins; only owners invite owners).
     *
     * @param role {@code owner}, {@code admin} or {@code member}; null for member
     * @param days how long it stays open, 1 to 90; null for 7
     */
    public InviteView invite(String org, String login, String role, boolean seat, Integer days) {
        return engine.createInvite(requireText(org, "org"), new InviteRequest(login, role, seat, days));
    }

    /** The org's invites, newest first, with their state (owners and admins). */
    public List<InviteView> invites(String org) {
        return engine.invites(requireText(org, "org"));
    }

    /** Stops an invite from being used (owners and admins). */
    public void revokeInvite(String org, String id) {
        engine.revokeInvite(requireText(org, "org"), requireText(id, "id"));
    }

    /** Opens an invite again for as long as before; a link gets a new url and the old one stops working. */
    public InviteView resendInvite(String org, String id) {
        return engine.resendInvite(requireText(org, "org"), requireText(id, "id"));
    }

    /** A page of the org's audit log, oldest first (owners and admins). */
    public AuditPage audit(String org, AuditQuery query) {
        Map<String, Object> page = engine.auditPage(requireText(org, "org"), auditQuery(query, null));
        try {
            List<AuditEntry> entries = new ArrayList<>();
            for (Object entry : (List<?>) page.getOrDefault("entries", List.of())) {
                entries.add(AuditChain.fromJson(JsonValues.object(entry, "an audit entry")));
            }
            Object next = page.get("next");
            return new AuditPage(entries, next instanceof Number n ? n.longValue() : null);
        } catch (IOException | RuntimeException e) {
            throw new CcpException(CcpException.Kind.SERVER_ERROR, "the server's audit page does not read: " + e.getMessage(), null, e);
        }
    }

    /**
     * The org's audit log as a file to keep or check offline ({@link AuditChain#verify}): JSON Lines
     * ({@code jsonl}, one entry per line) or {@code csv} (owners and admins).
     */
    public String exportAudit(String org, AuditQuery query, String format) {
        return engine.auditExport(requireText(org, "org"), auditQuery(query, requireText(format, "format")));
    }

    /**
     * Checks an audit log export offline: the chain, and the checkpoints against the {@code audit}
     * keys pinned for the logged-in server (or built into the host tool), or against {@code keys}
     * when given, such as a JWKS an auditor received apart from the file. The export must also agree
     * with the newest checkpoint verified on this machine before, and a valid one becomes that
     * checkpoint. No network.
     */
    public AuditExport.Result verifyAuditExport(AuditExport.Parsed export, KeyRing keys) {
        Objects.requireNonNull(export, "export");
        String org = export.entries().isEmpty() ? null : export.entries().get(0).org();
        AuditCheckpoint seen = org == null ? null : engine.auditMemory.seen(org).orElse(null);
        AuditExport.Result result = AuditExport.verify(export, keys != null ? keys : engine.trustedKeys(), seen);
        if (result.valid() && result.newest() != null) {
            engine.auditMemory.remember(result.newest());
        }
        return result;
    }

    private static String auditQuery(AuditQuery q, String format) {
        StringBuilder query = new StringBuilder("after=").append(q.after());
        BiConsumer<String, Object> add = (name, value) -> {
            if (value != null) {
                query.append('&').append(name).append('=').append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
            }
        };
        add.accept("actor", q.actor());
        add.accept("action", q.action());
        add.accept("from", q.from());
        add.accept("to", q.to());
        add.accept("limit", q.limit());
        add.accept("format", format);
        return query.toString();
    }

    /** How many seats the org's plan holds and how many are taken (any member). */
    public SeatsView seats(String org) {
        return engine.seats(requireText(org, "org"));
    }

    /** The GitHub App installations connected to the org, whose pull requests its prod policy reviews (owners and admins). */
    public List<GitHubInstallationView> gitHubInstallations(String org) {
        return engine.gitHubInstallations(requireText(org, "org"));
    }

    /**
     * Connects an installation of the GitHub App to the org (owners and admins): the server asks GitHub
     * for it, and the org's prod policy then reviews the pull requests of its repositories.
     *
     * @param id the installation's id, as GitHub's setup redirect gives it ({@code installation_id})
     * @throws CcpException {@link CcpException.Kind#NOT_FOUND} when GitHub knows no such installation,
     *     {@link CcpException.Kind#CONFLICT} when it is connected to another org,
     *     {@link CcpException.Kind#SERVER_UNAVAILABLE} when GitHub or the app is not available, …
     */
    public GitHubInstallationView connectGitHubInstallation(String org, long id) {
        if (id < 1) {
            throw new IllegalArgumentException("installation ids start at 1: " + id);
        }
        return engine.connectGitHubInstallation(requireText(org, "org"), id);
    }

    /**
     * Disconnects an installation of the GitHub App from the org (owners and admins): its pull
     * requests are no longer reviewed, and any org may connect it again. The app stays installed on
     * GitHub.
     *
     * @throws CcpException {@link CcpException.Kind#NOT_FOUND} when the installation is not connected to the org, …
     */
    public void disconnectGitHubInstallation(String org, long id) {
        if (id < 1) {
            throw new IllegalArgumentException("installation ids start at 1: " + id);
        }
        engine.disconnectGitHubInstallation(requireText(org, "org"), id);
    }

    /**
     * Revokes the session on the server, then deletes the credentials and the license pack; pinned keys
     * stay. The local files are deleted even when the server cannot be reached: the result says
     * whether the revocation went through. Never throws for an unreachable server.
     */
    public LogoutResult logout() {
        return engine.logout();
    }

    /** Who is logged in, from the stored credentials (no network). */
    public Optional<Account> account() {
        return engine.account();
    }

    /** The configured server, else the one the stored credentials name. */
    public Optional<URI> server() {
        return engine.server();
    }

    /**
     * The policy of the channel this home follows ({@link #policyChannel()}), loaded from the verified
     * cache or the bundled pack. The same client is returned on every call.
     */
    public PolicyClient policy() {
        return policy(policyChannel());
    }

    /**
     * The policy of the logged-in org in {@code channel} ({@code dev} or {@code prod}).
     *
     * @throws IllegalArgumentException for another channel
     */
    public PolicyClient policy(String channel) {
        return policies.computeIfAbsent(channel,
                c -> new PolicyClient(engine.policy(c), () -> engine.startPolicy(c)));
    }

    /** The channel this home follows: {@code prod} unless {@link #usePolicyChannel} chose another. */
    public String policyChannel() {
        return engine.policyChannels().selected();
    }

    /** Makes this home follow {@code channel} from now on (kept in {@code policy-channel.json}). */
    public void usePolicyChannel(String channel) {
        engine.policyChannels().select(channel);
    }

    /**
     * Publishes a {@code ccp.policy/v1} document (JSON text) to a channel of the logged-in org, for its
     * owners and admins. The server validates it; publishing the document already current makes no
     * new version ({@link PolicyVersionView#created()} is false).
     *
     * @throws CcpException {@link CcpException.Kind#BAD_REQUEST} with the wrong fields in
     *     {@code problem().errors()}, {@link CcpException.Kind#FORBIDDEN} for a member, …
     */
    public PolicyVersionView publishPolicy(String channel, String document) {
        return engine.publishPolicy(channel, Objects.requireNonNull(document, "document"));
    }

    /** Makes a {@code dev} version the next {@code prod} version (owners and admins). */
    public PolicyVersionView promotePolicy(long devVersion) {
        if (devVersion < 1) {
            throw new IllegalArgumentException("versions start at 1: " + devVersion);
        }
        return engine.promotePolicy(devVersion);
    }

    /** The versions of a channel, newest first (owners and admins). */
    public List<PolicyVersionView> policyHistory(String channel) {
        return engine.policyHistory(channel);
    }

    /** Usage on this machine: recording, quotas, export to the server, the local store. */
    public Usage usage() {
        return usage;
    }

    /** Runs: start one in a git workspace and propose its steps; read and decide the org's runs on the server. */
    public Runs runs() {
        return runs;
    }

    /**
     * Writes buffered usage and stops the usage writer. Nothing else needs closing: a client that
     * never recorded usage may be dropped without it. Never throws; what cannot be written is logged
     * and counted in {@link Usage#status()}.
     */
    @Override
    public void close() {
        engine.closePolicies();
        engine.usage().close();
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
