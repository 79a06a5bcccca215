package dev.ccp.server.org.control;

import dev.ccp.server.audit.control.Actor;
import dev.ccp.server.audit.control.AuditLog;
import dev.ccp.server.identity.control.Identity;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.Tokens;
import dev.ccp.server.identity.control.Users;
import dev.ccp.server.identity.entity.User;
import dev.ccp.server.org.entity.Membership;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.Ids;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.spi.wire.Member;
import dev.ccp.spi.wire.SeatsView;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Owners and admins manage who is in their org and who holds a seat. Someone added before their first
 * login is a pending member until they log in with that email or handle.
 */
public final class Members {

    private final PlanAllowance plans;
    private final Tokens tokens;
    private final AuditLog audit;

    public Members(PlanAllowance plans, Tokens tokens, AuditLog audit) {
        this.plans = plans;
        this.tokens = tokens;
        this.audit = audit;
    }

    /**
     * The org named in the path, if the caller's token is for it and the caller manages it. A token
     * for another org gets the same answer as an org that does not exist, so org names do not leak.
     */
    public Org managedOrg(EntityManager em, Principal caller, String slug) {
        return managed(em, caller, callersOrg(em, caller, slug), "its members");
    }

    /** The org named in the path, if the caller's token is for it and the caller still belongs to it. */
    public Org callersOrg(EntityManager em, Principal caller, String slug) {
        Org org = Accounts.callerOrg(em, caller).org();
        if (slug == null || !org.slug().equals(slug.toLowerCase(Locale.ROOT))) {
            throw ProblemException.notFound("no org '" + slug + "' for this session; log in with --org " + slug + " if you belong to it");
        }
        return org;
    }

    /** The org of the caller's token, if the caller still belongs to it. */
    public Org memberOrg(EntityManager em, Principal caller) {
        return Accounts.callerOrg(em, caller).org();
    }

    /** The org of the caller's token, if the caller is one of its owners or admins; {@code what} names what they manage. */
    public Org tokenOrgManagedBy(EntityManager em, Principal caller, String what) {
        return managed(em, caller, memberOrg(em, caller), what);
    }

    private static Org managed(EntityManager em, Principal caller, Org org, String what) {
        Membership mine = Accounts.membership(em, org.id(), caller.userId()).orElseThrow(Accounts::membershipRemoved);
        if (!mine.role().manages()) {
            throw ProblemException.forbidden("only owners and admins of " + org.slug() + " manage " + what + "; you are a member");
        }
        return org;
    }

    public List<Member> list(EntityManager em, Org org) {
        return Accounts.members(em, org.id()).stream().map(m -> view(em, m)).toList();
    }

    public Member add(EntityManager em, Principal caller, Org org, String login, String roleName, boolean seat, Instant now) {
        Identity identity = Identity.parse(login).orElseThrow(() -> ProblemException.badRequest(
                "login must be an email address or a GitHub handle, was '" + abbreviate(login) + "'"));
        Membership.Role role = role(roleName);
        Membership mine = Accounts.membership(em, org.id(), caller.userId()).orElseThrow();
        if (role == Membership.Role.OWNER && mine.role() != Membership.Role.OWNER) {
            throw ProblemException.forbidden("only owners can add owners");
        }
        User user = Users.find(em, identity).orElse(null);
        boolean exists = user != null ? Accounts.membership(em, org.id(), user.id()).isPresent()
                : Accounts.pending(em, org.id(), identity.login());
        if (exists) {
            throw ProblemException.conflict("already-member", "Already a member", identity.login() + " is already a member of " + org.slug());
        }
        if (seat && !seatFree(em, org, now)) {
            throw noSeatLeft(org, now);
        }
        Membership m = new Membership(Ids.id("mem"), org.id(), user == null ? null : user.id(),
                user == null ? identity.login() : null, role, seat ? Ids.id("seat") : null, now);
        em.persist(m);
        em.flush();
        Member added = view(em, m);
        record(em, org, "member.added", Actor.user(caller.userId()), added, Map.of("role", role.wire(), "seat", seat), now);
        return added;
    }

    /**
     * Takes a person out of the org: an owner or admin removing someone, or anyone leaving. Only an
     * owner removes an owner, and the last owner can neither be removed nor leave. Their sessions
     * for the org end at once.
     */
    public void remove(EntityManager em, Principal caller, Org org, String login, Instant now) {
        Membership target = find(em, org, login);
        Membership mine = Accounts.membership(em, org.id(), caller.userId()).orElseThrow(Accounts::membershipRemoved);
        boolean leaving = target.id().equals(mine.id());
        if (!leaving && !mine.role().manages()) {
            throw ProblemException.forbidden("only owners and admins of " + org.slug() + " remove members; you can only leave");
        }
        if (target.role() == Membership.Role.OWNER) {
            if (!leaving && mine.role() != Membership.Role.OWNER) {
                throw ProblemException.forbidden("only owners can remove owners");
            }
            requireAnotherOwner(em, org, leaving ? "leave" : "remove the last owner");
        }
        Member removed = view(em, target);
        em.remove(target);
        if (target.userId() != null) {
            tokens.revokeSessions(em, target.userId(), org.id(), Tokens.REMOVED_FROM_ORG, now);
        }
        record(em, org, leaving ? "member.left" : "member.removed", Actor.user(caller.userId()), removed,
                Map.of("role", removed.role(), "seat", removed.seat() != null), now);
        em.flush();
    }

    /**
     * Gives a member another role. Only an owner makes or unmakes owners; the last owner cannot be
     * demoted.
     */
    public Member changeRole(EntityManager em, Principal caller, Org org, String login, String roleName, Instant now) {
        Membership.Role role = role(roleName);
        Membership target = find(em, org, login);
        Membership mine = Accounts.membership(em, org.id(), caller.userId()).orElseThrow(Accounts::membershipRemoved);
        if ((role == Membership.Role.OWNER || target.role() == Membership.Role.OWNER) && mine.role() != Membership.Role.OWNER) {
            throw ProblemException.forbidden("only owners make or unmake owners");
        }
        if (target.role() == Membership.Role.OWNER && role != Membership.Role.OWNER) {
            requireAnotherOwner(em, org, "demote the last owner");
        }
        String was = target.role().wire();
        target.role(role);
        em.flush();
        Member changed = view(em, target);
        record(em, org, "member.role_changed", Actor.user(caller.userId()), changed, Map.of("from", was, "to", role.wire()), now);
        return changed;
    }

    /** Gives a member a seat, if the plan has one free; a member who holds one keeps it. */
    public Member assignSeat(EntityManager em, Principal caller, Org org, String login, Instant now) {
        Membership target = find(em, org, login);
        if (target.seat() == null) {
            if (!seatFree(em, org, now)) {
                throw noSeatLeft(org, now);
            }
            target.giveSeat(Ids.id("seat"));
            em.flush();
            record(em, org, "seat.assigned", Actor.user(caller.userId()), view(em, target), Map.of("seat", target.seat()), now);
        }
        return view(em, target);
    }

    /** Takes a member's seat back; they keep the free entitlements. */
    public Member unassignSeat(EntityManager em, Principal caller, Org org, String login, Instant now) {
        Membership target = find(em, org, login);
        String seat = target.seat();
        if (seat != null) {
            target.takeSeat();
            em.flush();
            record(em, org, "seat.unassigned", Actor.user(caller.userId()), view(em, target), Map.of("seat", seat), now);
        }
        return view(em, target);
    }

    /** Appends a change to a membership to the org's audit log: who it is, and what changed. */
    private void record(EntityManager em, Org org, String action, Actor actor, Member member, Map<String, Object> details, Instant now) {
        audit.append(em, org.id(), action, actor, Map.of("login", member.login()), details, now);
    }

    /**
     * Changes the org's settings; null leaves one as it is.
     *
     * @param kSafety how many seats must stand behind a group in the dashboards, {@link Org#MIN_K} to 1000
     */
    public Org changeSettings(EntityManager em, Principal caller, Org org, Integer kSafety, Instant now) {
        if (kSafety != null) {
            if (kSafety < Org.MIN_K || kSafety > 1000) {
                throw ProblemException.badRequest("k_safety must be between " + Org.MIN_K + " and 1000, was " + kSafety);
            }
            int was = org.kSafety();
            if (was != kSafety) {
                org.kSafety(kSafety);
                audit.append(em, org.id(), "org.settings_changed", Actor.user(caller.userId()), Map.of("org", org.slug()),
                        Map.of("k_safety", Map.of("from", was, "to", kSafety)), now);
            }
        }
        return org;
    }

    /** The org's seats: how many its plan holds and how many are taken. */
    public SeatsView seats(EntityManager em, Org org, Instant now) {
        PlanAllowance.Allowance allowance = plans.allowance(org, now);
        return new SeatsView(org.slug(), allowance.plan(), allowance.seats(), (int) Accounts.seatsHeld(em, org.id()));
    }

    private Membership find(EntityManager em, Org org, String login) {
        Identity identity = Identity.parse(login).orElseThrow(() -> ProblemException.badRequest(
                "login must be an email address or a GitHub handle, was '" + abbreviate(login) + "'"));
        return Accounts.members(em, org.id()).stream()
                .filter(m -> matches(em, m, identity)).findFirst()
                .orElseThrow(() -> ProblemException.notFound(identity.login() + " is not a member of " + org.slug()));
    }

    /**
     * Refuses when the org would be left without an owner. Locks the org first, so that two owners
     * demoting or removing each other at once cannot both pass.
     */
    private static void requireAnotherOwner(EntityManager em, Org org, String what) {
        em.lock(org, LockModeType.PESSIMISTIC_WRITE);
        long owners = Accounts.members(em, org.id()).stream().filter(m -> m.role() == Membership.Role.OWNER).count();
        if (owners <= 1) {
            throw ProblemException.conflict("last-owner", "Last owner",
                    "an org keeps at least one owner, so you cannot " + what + " of " + org.slug() + "; make another member an owner first");
        }
    }

    private ProblemException noSeatLeft(Org org, Instant now) {
        PlanAllowance.Allowance allowance = plans.allowance(org, now);
        return ProblemException.conflict("seat-limit", "No seat left",
                "org " + org.slug() + " holds all " + allowance.seats() + " seats of its " + allowance.title()
                        + " plan; free a seat or move to a plan with more seats");
    }

    /**
     * The buyer of a new subscription holds a seat in its org while one is free: a member without
     * a seat gets one, someone else becomes a member with one, and someone who has not logged in
     * yet gets a seat that waits for their first login with that email or handle.
     *
     * @param buyer the email or GitHub handle the billing provider names
     * @param provider the billing provider, for the audit log
     */
    public void seatBuyer(EntityManager em, Org org, String buyer, String provider, Instant now) {
        Identity identity = Identity.parse(buyer).orElse(null);
        if (identity == null || !seatFree(em, org, now)) {
            return;
        }
        User user = Users.find(em, identity).orElse(null);
        if (user != null) {
            Membership member = Accounts.membership(em, org.id(), user.id()).orElse(null);
            if (member == null) {
                em.persist(new Membership(Ids.id("mem"), org.id(), user.id(), null, Membership.Role.MEMBER, Ids.id("seat"), now));
            } else if (member.seat() == null) {
                member.giveSeat(Ids.id("seat"));
            } else {
                return;
            }
        } else if (!Accounts.pending(em, org.id(), identity.login())) {
            em.persist(new Membership(Ids.id("mem"), org.id(), null, identity.login(), Membership.Role.MEMBER, Ids.id("seat"), now));
        } else {
            return;
        }
        em.flush();
        audit.append(em, org.id(), "seat.assigned", Actor.billing(provider), Map.of("login", identity.login()),
                Map.of("cause", "bought the plan"), now);
    }

    private boolean seatFree(EntityManager em, Org org, Instant now) {
        return Accounts.seatFree(em, org, plans.allowance(org, now).seats());
    }

    private static boolean matches(EntityManager em, Membership m, Identity identity) {
        if (m.pending()) {
            return identity.login().equals(m.pendingLogin());
        }
        User user = em.find(User.class, m.userId());
        return (identity.email() != null && identity.email().equals(user.email()))
                || (identity.github() != null && identity.github().equals(user.github()));
    }

    static Member view(EntityManager em, Membership m) {
        if (m.pending()) {
            String login = m.pendingLogin();
            boolean email = login.contains("@");
            return new Member(login, email ? login : null, email ? null : login, m.role().wire(), m.seat(), "pending");
        }
        User user = em.find(User.class, m.userId());
        return new Member(user.login(), user.email(), user.github(), m.role().wire(), m.seat(), "active");
    }

    static Membership.Role role(String name) {
        if (name == null || name.isBlank()) {
            return Membership.Role.MEMBER;
        }
        try {
            return Membership.Role.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("role must be owner, admin or member, was '" + abbreviate(name) + "'");
        }
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }
}
