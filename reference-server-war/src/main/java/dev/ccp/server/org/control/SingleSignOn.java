package dev.ccp.server.org.control;

import dev.ccp.server.audit.control.Actor;
import dev.ccp.server.audit.control.AuditLog;
import dev.ccp.server.keys.control.SecretBox;
import dev.ccp.server.identity.control.Identity;
import dev.ccp.server.identity.control.Memberships;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.SsoDirectory;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.identity.control.Users;
import dev.ccp.server.identity.entity.User;
import dev.ccp.server.org.entity.Membership;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.spi.wire.SsoSettings;
import dev.ccp.spi.wire.SsoView;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An org's own identity provider: set up by an owner (issuer, client, the email domains it vouches
 * for, whether members must use it, and one break-glass owner who may still come in another way),
 * and looked up by sign-in through {@link SsoDirectory}. A domain belongs to one org only.
 *
 * <p>What a sign-in asks ({@link #refusal}, {@link #connection}) needs only the database, so
 * {@link OrgMemberships}, which {@link Tokens} is built on, asks it without holding this object,
 * which is built on {@link Tokens} to end sessions.
 */
public final class SingleSignOn implements SsoDirectory {

    /** Why members' sessions ended when the org began to enforce its provider. */
    public static final String SSO_ENFORCED = "the org now signs its members in through its own identity provider only";

    private static final Pattern DOMAIN = Pattern.compile("(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");
    private static final int MAX_DOMAINS = 20;

    private final AuditLog audit;
    private final Tokens tokens;
    /** Seals the client secret in the database. */
    private final SecretBox secrets;

    public SingleSignOn(AuditLog audit, Tokens tokens, SecretBox secrets) {
        this.secrets = secrets;
        this.audit = audit;
        this.tokens = tokens;
    }

    /** The org's settings, the secret left out; empty when it has none. */
    public Optional<SsoView> view(EntityManager em, Org org, String callback) {
        return read(em, org.id(), false).map(c -> new SsoView("oidc", c.issuer(), c.clientId(), true, c.domains(), c.enforced(),
                breakGlass(em, org.id()).orElse(null), callback));
    }

    /**
     * Sets up or changes the org's provider; only owners do, since it decides who gets in. When the
     * org begins to enforce it, the sessions its members made another way end (see {@link #endSessions}).
     */
    public SsoView configure(EntityManager em, Principal caller, Org org, SsoSettings settings, String callback, Instant now) {
        requireOwner(em, caller, org);
        String kind = settings.kind() == null ? "oidc" : settings.kind().strip().toLowerCase(Locale.ROOT);
        if (kind.equals("saml")) {
            throw new ProblemException(501, "saml-not-available", "SAML not available yet",
                    "SAML single sign-on is planned (see docs/sso.md); set up OpenID Connect (kind oidc) for now");
        }
        if (!kind.equals("oidc")) {
            throw ProblemException.badRequest("kind must be oidc (or saml, which is not available yet), was '" + kind + "'");
        }
        String issuer = issuer(settings.issuer());
        String clientId = text("client_id", settings.clientId(), 200);
        // The secret as stored: kept sealed as it is when no new one is sent, so a secret that no longer opens can be replaced.
        Optional<Connection> before = read(em, org.id(), false);
        String secret = settings.clientSecret() != null
                ? secrets.seal(text("client_secret", settings.clientSecret(), 400), SecretBox.context("org_sso", "client_secret", org.id()))
                : before.map(Connection::clientSecret).orElseThrow(() -> ProblemException.badRequest("send the client_secret the provider gave"));
        List<String> domains = domains(settings.domains());
        boolean enforced = Boolean.TRUE.equals(settings.enforced());
        String breakGlass = null;
        if (settings.breakGlass() != null && !settings.breakGlass().isBlank()) {
            User owner = Identity.parse(settings.breakGlass()).flatMap(i -> Users.find(em, i))
                    .filter(u -> Accounts.membership(em, org.id(), u.id()).map(m -> m.role() == Membership.Role.OWNER).orElse(false))
                    .orElseThrow(() -> ProblemException.badRequest("break_glass must be an owner of " + org.slug() + " who has logged in"));
            breakGlass = owner.id();
        } else if (enforced) {
            throw ProblemException.badRequest("name a break_glass owner who may still sign in when the provider is down, before enforcing it");
        }
        em.lock(org, LockModeType.PESSIMISTIC_WRITE);
        for (String domain : domains) {
            List<?> owner = em.createNativeQuery("select org_id from sso_domains where domain = ?1").setParameter(1, domain).getResultList();
            if (!owner.isEmpty() && !org.id().equals(owner.get(0))) {
                throw ProblemException.conflict("domain-claimed", "Domain claimed", domain + " is covered by another org's sign-in already");
            }
        }
        em.createNativeQuery("delete from sso_domains where org_id = ?1").setParameter(1, org.id()).executeUpdate();
        em.createNativeQuery("delete from org_sso where org_id = ?1").setParameter(1, org.id()).executeUpdate();
        em.createNativeQuery("insert into org_sso (org_id, kind, issuer, client_id, client_secret, enforced, break_glass, updated_at)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                .setParameter(1, org.id()).setParameter(2, kind).setParameter(3, issuer).setParameter(4, clientId)
                .setParameter(5, secret)
                .setParameter(6, enforced).setParameter(7, breakGlass).setParameter(8, LocalDateTime.ofInstant(now, ZoneOffset.UTC))
                .executeUpdate();
        for (String domain : domains) {
            em.createNativeQuery("insert into sso_domains (domain, org_id) values (?1, ?2)").setParameter(1, domain).setParameter(2, org.id())
                    .executeUpdate();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kind", kind);
        details.put("issuer", issuer);
        details.put("client_id", clientId);
        details.put("client_secret_changed", settings.clientSecret() != null);
        details.put("domains", domains);
        details.put("enforced", enforced);
        details.put("break_glass", breakGlass(em, org.id()).orElse(""));
        int ended = endSessions(em, org, before.orElse(null), enforced, breakGlass, now);
        if (ended > 0) {
            details.put("sessions_ended", ended);
        }
        audit.append(em, org.id(), before.isPresent() ? "sso.changed" : "sso.configured", Actor.user(caller.userId()), Map.of("org", org.slug()),
                details, now);
        return view(em, org, callback).orElseThrow();
    }

    /**
     * Once the org enforces its provider, a session made another way must not outlive the switch:
     * when enforcement begins, every member's sessions end but the break-glass owner's; when the
     * break-glass owner changes under enforcement, the previous one's end. Sessions cannot tell how
     * they were made, so this also ends sessions made through the provider before the switch; the
     * people sign in through it again.
     *
     * @return how many sessions ended
     */
    private int endSessions(EntityManager em, Org org, Connection before, boolean enforced, String breakGlass, Instant now) {
        if (!enforced) {
            return 0;
        }
        boolean wasEnforced = before != null && before.enforced();
        List<String> users = wasEnforced
                ? (before.breakGlass() == null || before.breakGlass().equals(breakGlass) ? List.of() : List.of(before.breakGlass()))
                : Accounts.members(em, org.id()).stream().map(Membership::userId)
                        .filter(user -> user != null && !user.equals(breakGlass)).toList();
        int ended = 0;
        for (String user : users) {
            ended += tokens.revokeSessions(em, user, org.id(), SSO_ENFORCED, now);
        }
        return ended;
    }

    /** Takes the org's provider away; members sign in with GitHub again. */
    public void remove(EntityManager em, Principal caller, Org org, Instant now) {
        requireOwner(em, caller, org);
        em.createNativeQuery("delete from sso_domains where org_id = ?1").setParameter(1, org.id()).executeUpdate();
        if (em.createNativeQuery("delete from org_sso where org_id = ?1").setParameter(1, org.id()).executeUpdate() == 0) {
            throw ProblemException.notFound(org.slug() + " has no single sign-on set up");
        }
        audit.append(em, org.id(), "sso.removed", Actor.user(caller.userId()), Map.of("org", org.slug()), Map.of(), now);
    }

    /**
     * Whether a sign-in to the org by {@code method} is let in: an org that enforces its provider
     * lets in only sign-ins through it, and its break-glass owner.
     */
    public static Optional<String> refusal(EntityManager em, Org org, String userId, String method) {
        List<?> rows = em.createNativeQuery("select enforced, break_glass from org_sso where org_id = ?1").setParameter(1, org.id())
                .getResultList();
        if (rows.isEmpty() || Memberships.OIDC.equals(method)) {
            return Optional.empty();
        }
        Object[] sso = (Object[]) rows.get(0);
        if (!truth(sso[0]) || userId.equals(sso[1])) {
            return Optional.empty();
        }
        return Optional.of("org " + org.slug() + " signs its members in through its own identity provider only:"
                + " use \"Continue with SSO\" with your work email");
    }

    @Override
    public Optional<Connection> forEmail(EntityManager em, String email) {
        if (email == null || !email.contains("@")) {
            return Optional.empty();
        }
        List<?> org = em.createNativeQuery("select org_id from sso_domains where domain = ?1")
                .setParameter(1, SsoDirectory.domainOf(email)).getResultList();
        return org.isEmpty() ? Optional.empty() : ofOrg(em, (String) org.get(0));
    }

    @Override
    public Optional<Connection> ofOrg(EntityManager em, String orgId) {
        return connection(em, orgId);
    }

    /** The org's provider, if it has one, as {@link #ofOrg} answers. */
    Optional<Connection> connection(EntityManager em, String orgId) {
        return read(em, orgId, true);
    }

    /** The org's provider, with its client secret opened, or as stored (sealed) when {@code open} is false. */
    private Optional<Connection> read(EntityManager em, String orgId, boolean open) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select s.issuer, s.client_id, s.client_secret, s.enforced, o.slug, s.break_glass from org_sso s"
                + " join orgs o on o.id = s.org_id where s.org_id = ?1").setParameter(1, orgId).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = rows.get(0);
        @SuppressWarnings("unchecked")
        List<String> domains = em.createNativeQuery("select domain from sso_domains where org_id = ?1 order by domain")
                .setParameter(1, orgId).getResultList();
        String secret = open ? secrets.open((String) r[2], SecretBox.context("org_sso", "client_secret", orgId)) : (String) r[2];
        return Optional.of(new Connection(orgId, (String) r[4], (String) r[0], (String) r[1], secret, List.copyOf(domains),
                truth(r[3]), (String) r[5]));
    }

    private static boolean truth(Object column) {
        return Boolean.TRUE.equals(column) || column instanceof Number n && n.intValue() != 0;
    }

    private Optional<String> breakGlass(EntityManager em, String orgId) {
        List<?> glass = em.createNativeQuery("select u.email, u.github from org_sso s join users u on u.id = s.break_glass where s.org_id = ?1")
                .setParameter(1, orgId).getResultList();
        return glass.stream().findFirst().map(row -> {
            Object[] r = (Object[]) row;
            return r[0] != null ? (String) r[0] : (String) r[1];
        });
    }

    private static void requireOwner(EntityManager em, Principal caller, Org org) {
        Membership mine = Accounts.membership(em, org.id(), caller.userId()).orElseThrow(Accounts::membershipRemoved);
        if (mine.role() != Membership.Role.OWNER) {
            throw ProblemException.forbidden("only owners of " + org.slug() + " set up its single sign-on");
        }
    }

    private static String issuer(String text) {
        String issuer = text("issuer", text, 400);
        URI uri;
        try {
            uri = URI.create(issuer);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("issuer must be the provider's https URL, was '" + Members.abbreviate(issuer) + "'");
        }
        boolean loopback = "127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost());
        if (uri.getHost() == null || !("https".equals(uri.getScheme()) || ("http".equals(uri.getScheme()) && loopback))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw ProblemException.badRequest("issuer must be the provider's https URL, without query or fragment, was '"
                    + Members.abbreviate(issuer) + "'");
        }
        return issuer;
    }

    private static List<String> domains(List<String> given) {
        if (given == null || given.isEmpty()) {
            throw ProblemException.badRequest("name the email domains the provider vouches for, such as [\"corp.example\"]");
        }
        if (given.size() > MAX_DOMAINS) {
            throw ProblemException.badRequest("at most " + MAX_DOMAINS + " domains");
        }
        List<String> domains = new ArrayList<>();
        for (String d : given) {
            String domain = d == null ? "" : d.strip().toLowerCase(Locale.ROOT);
            if (!DOMAIN.matcher(domain).matches()) {
                throw ProblemException.badRequest("'" + Members.abbreviate(d) + "' is not an email domain such as corp.example");
            }
            if (!domains.contains(domain)) {
                domains.add(domain);
            }
        }
        return domains;
    }

    private static String text(String name, String value, int max) {
        if (value == null || value.isBlank()) {
            throw ProblemException.badRequest("send " + name);
        }
        if (value.length() > max || value.chars().anyMatch(Character::isISOControl)) {
            throw ProblemException.badRequest(name + " must be at most " + max + " characters, without control characters");
        }
        return value.strip();
    }
}
