package dev.ccp.server.org.control;

import dev.ccp.server.audit.control.Actor;
import dev.ccp.server.audit.control.AuditLog;
import dev.ccp.server.identity.control.Identity;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.Users;
import dev.ccp.server.identity.entity.User;
import dev.ccp.server.org.entity.Invite;
import dev.ccp.server.org.entity.Membership;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.Ids;
import dev.ccp.server.platform.http.ProblemException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Invitations to an org. Owners and admins invite a login (claimed at that person's next sign-in)
 * or make a link (opened and accepted by whoever signs in with it, once). An invite says the role
 * and whether it brings a seat; one that is used, revoked or past its expiry invites no one.
 */
public final class Invites {

    public static final int DEFAULT_DAYS = 7;
    public static final int MAX_DAYS = 90;

    /** An invite as made or sent again; {@code token} is the link's secret, shown once, null for a login. */
    public record Issued(Invite invite, String token) {
    }

    /** What accepting an invite did: the membership, and whether the seat it promised was free. */
    public record Accepted(Org org, Membership membership, boolean seatMissing) {
    }

    private final PlanAllowance plans;
    private final AuditLog audit;

    public Invites(PlanAllowance plans, AuditLog audit) {
        this.plans = plans;
        this.audit = audit;
    }

    /**
     * Invites {@code login}, or makes a link when it is null. Only owners invite owners.
     *
     * @param days how long it stays open, 1 to {@link #MAX_DAYS}; null for {@link #DEFAULT_DAYS}
     */
    public Issued create(EntityManager em, Principal caller, Org org, String login, String roleName, boolean seat, Integer days,
            Instant now) {
        Membership.Role role = Members.role(roleName);
        Membership mine = Accounts.membership(em, org.id(), caller.userId()).orElseThrow();
        if (role == Membership.Role.OWNER && mine.role() != Membership.Role.OWNER) {
            throw ProblemException.forbidden("only owners invite owners");
        }
        if (days != null && (days < 1 || days > MAX_DAYS)) {
            throw ProblemException.badRequest("expires_in_days must be between 1 and " + MAX_DAYS + ", was " + days);
        }
        // Whole seconds: what is stored is what the answer says, on every database.
        Instant at = now.truncatedTo(ChronoUnit.SECONDS);
        Instant expires = at.plus(Duration.ofDays(days == null ? DEFAULT_DAYS : days));
        if (login == null) {
            String token = Ids.secret();
            Invite invite = new Invite(Ids.id("inv"), org.id(), null, Ids.hash(token), role, seat, caller.userId(), at, expires);
            em.persist(invite);
            record(em, "invite.created", Actor.user(caller.userId()), invite, now);
            em.flush();
            return new Issued(invite, token);
        }
        Identity identity = Identity.parse(login).orElseThrow(() -> ProblemException.badRequest(
                "login must be an email address or a GitHub handle, was '" + Members.abbreviate(login) + "'"));
        Optional<User> user = Users.find(em, identity);
        boolean member = user.isPresent() ? Accounts.membership(em, org.id(), user.get().id()).isPresent()
                : Accounts.pending(em, org.id(), identity.login());
        if (member) {
            throw ProblemException.conflict("already-member", "Already a member", identity.login() + " is already a member of " + org.slug());
        }
        // Two admins inviting the same person at once: the org's lock makes the second see the first.
        em.lock(org, LockModeType.PESSIMISTIC_WRITE);
        if (openFor(em, org.id(), List.of(identity.login()), at).findAny().isPresent()) {
            throw ProblemException.conflict("already-invited", "Already invited",
                    identity.login() + " already has an open invite to " + org.slug() + "; send it again or revoke it first");
        }
        Invite invite = new Invite(Ids.id("inv"), org.id(), identity.login(), null, role, seat, caller.userId(), at, expires);
        em.persist(invite);
        record(em, "invite.created", Actor.user(caller.userId()), invite, now);
        em.flush();
        return new Issued(invite, null);
    }

    /** Every invite of the org, newest first, whatever its state. */
    public List<Invite> list(EntityManager em, Org org) {
        return em.createQuery("select i from Invite i where i.orgId = :o order by i.createdAt desc, i.id", Invite.class)
                .setParameter("o", org.id()).getResultList();
    }

    /** Stops an open invite from being used. */
    public void revoke(EntityManager em, Principal caller, Org org, String id, Instant now) {
        Invite invite = find(em, org, id);
        if (invite.state(now) == Invite.State.USED) {
            throw ProblemException.conflict("invite-used", "Invite used", "invite " + id + " was used already; remove the member instead");
        }
        invite.revoke(now);
        record(em, "invite.revoked", Actor.user(caller.userId()), invite, now);
        em.flush();
    }

    /**
     * Sends an invite again: open for as long again from now; a link gets a new token and the old
     * link stops working.
     */
    public Issued resend(EntityManager em, Principal caller, Org org, String id, Instant now) {
        Invite invite = find(em, org, id);
        Invite.State state = invite.state(now);
        if (state == Invite.State.USED || state == Invite.State.REVOKED) {
            throw ProblemException.conflict("invite-" + state.wire(), "Invite " + state.wire(),
                    "invite " + id + " was " + state.wire() + "; make a new one");
        }
        String token = invite.link() ? Ids.secret() : null;
        invite.renew(token == null ? null : Ids.hash(token),
                now.truncatedTo(ChronoUnit.SECONDS).plus(Duration.between(invite.createdAt(), invite.expiresAt())));
        record(em, "invite.resent", Actor.user(caller.userId()), invite, now);
        em.flush();
        return new Issued(invite, token);
    }

    /**
     * Deletes the invites that were used, revoked or expired more than {@code age} ago: they invite
     * no one, and the audit log keeps what happened to them. Answers how many.
     */
    public int prune(EntityManager em, Duration age, Instant now) {
        Instant before = now.minus(age);
        return em.createQuery("delete from Invite i where i.usedAt < :before or i.revokedAt < :before or i.expiresAt < :before")
                .setParameter("before", before).executeUpdate();
    }

    /** The invite a link's token names, if any. */
    public Optional<Invite> byToken(EntityManager em, String token) {
        if (token == null || token.isBlank() || token.length() > 100) {
            return Optional.empty();
        }
        return em.createQuery("select i from Invite i where i.tokenHash = :h", Invite.class)
                .setParameter("h", Ids.hash(token)).getResultStream().findFirst();
    }

    /** The org an invite is to. */
    public Org org(EntityManager em, Invite invite) {
        return em.find(Org.class, invite.orgId());
    }

    /**
     * Accepts a link for a signed-in person: they join with the invite's role, and its seat while
     * one is free. The invite is locked, so of two people opening one link at once only one joins.
     *
     * @return empty when the link names no open invite
     */
    public Optional<Accepted> accept(EntityManager em, String token, User user, Instant now) {
        return byToken(em, token).flatMap(invite -> accept(em, invite, user, now));
    }

    /** The invite with this id, if any: for a sign-in that began on its page and finishes elsewhere. */
    public Optional<Invite> byId(EntityManager em, String id) {
        return id == null || id.length() > 40 ? Optional.empty() : Optional.ofNullable(em.find(Invite.class, id));
    }

    /** Accepts an invite found before, as {@link #accept(EntityManager, String, User, Instant)} does. */
    public Optional<Accepted> accept(EntityManager em, Invite invite, User user, Instant now) {
        em.refresh(invite, LockModeType.PESSIMISTIC_WRITE);
        if (invite.state(now) != Invite.State.OPEN) {
            return Optional.empty();
        }
        return Optional.of(use(em, invite, user, now));
    }

    /**
     * Claims the open invites to a person's email or handle, at their sign-in: they join each org
     * with its role, and its seat while one is free.
     */
    void claim(EntityManager em, User user, Identity identity, Instant now) {
        List<String> logins = Stream.of(identity.email(), identity.github()).filter(Objects::nonNull).toList();
        for (Invite invite : openFor(em, null, logins, now).toList()) {
            em.refresh(invite, LockModeType.PESSIMISTIC_WRITE);
            if (invite.state(now) == Invite.State.OPEN) {
                use(em, invite, user, now);
            }
        }
    }

    private Accepted use(EntityManager em, Invite invite, User user, Instant now) {
        Org org = em.find(Org.class, invite.orgId());
        Membership membership = Accounts.membership(em, org.id(), user.id()).orElse(null);
        boolean seatMissing = false;
        if (membership == null) {
            boolean seat = invite.seat() && Accounts.seatFree(em, org, plans.allowance(org, now).seats());
            seatMissing = invite.seat() && !seat;
            membership = new Membership(Ids.id("mem"), org.id(), user.id(), null, invite.role(), seat ? Ids.id("seat") : null, now);
            em.persist(membership);
        }
        invite.use(user.id(), now);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("role", membership.role().wire());
        details.put("seat", membership.seat() != null);
        details.put("seat_missing", seatMissing);
        audit.append(em, org.id(), "invite.accepted", Actor.user(user.id()), Map.of("invite", invite.id(), "login", user.login()), details, now);
        em.flush();
        return new Accepted(org, membership, seatMissing);
    }

    /** Appends what was done to an invite to the org's audit log; never the link's token. */
    private void record(EntityManager em, String action, Actor actor, Invite invite, Instant now) {
        Map<String, Object> targets = new LinkedHashMap<>();
        targets.put("invite", invite.id());
        if (invite.login() != null) {
            targets.put("login", invite.login());
        }
        audit.append(em, invite.orgId(), action, actor, targets, Map.of("kind", invite.link() ? "link" : "login",
                "role", invite.role().wire(), "seat", invite.seat(), "expires_at", invite.expiresAt().toString()), now);
    }

    private Stream<Invite> openFor(EntityManager em, String orgId, List<String> logins, Instant now) {
        if (logins.isEmpty()) {
            return Stream.empty();
        }
        return em.createQuery("select i from Invite i where i.login in :logins and i.usedAt is null and i.revokedAt is null"
                        + " and i.expiresAt > :now", Invite.class)
                .setParameter("logins", logins).setParameter("now", now)
                .getResultStream().filter(i -> orgId == null || i.orgId().equals(orgId));
    }

    private static Invite find(EntityManager em, Org org, String id) {
        Invite invite = id == null ? null : em.find(Invite.class, id);
        if (invite == null || !invite.orgId().equals(org.id())) {
            throw ProblemException.notFound("no invite '" + Members.abbreviate(id) + "' in " + org.slug());
        }
        return invite;
    }
}
