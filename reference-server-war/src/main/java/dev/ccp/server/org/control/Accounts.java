package dev.ccp.server.org.control;

import dev.ccp.server.identity.control.Identity;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.Users;
import dev.ccp.server.identity.entity.User;
import dev.ccp.server.org.entity.Membership;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.Ids;
import dev.ccp.server.platform.http.ProblemException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * People, orgs and memberships. Every look-up of a membership goes through an org id, so nothing
 * here can reach across orgs by accident.
 */
public final class Accounts {

    private Accounts() {
    }

    /** An org with the caller's membership in it. */
    public record CallerOrg(Org org, Membership membership) {
    }

    /**
     * The org of the caller's session, with their membership, while they still belong to it: a
     * removed member's token stops at the next request, not when it expires.
     */
    public static CallerOrg callerOrg(EntityManager em, Principal caller) {
        Org org = em.find(Org.class, caller.orgId());
        Membership membership = org == null ? null : membership(em, org.id(), caller.userId()).orElse(null);
        if (membership == null) {
            throw membershipRemoved();
        }
        return new CallerOrg(org, membership);
    }

    /** What a session whose membership was removed is told. */
    public static ProblemException membershipRemoved() {
        return ProblemException.unauthorized("this session's membership has been removed; log in again");
    }

    /**
     * The user for an identity, made at first login together with a personal org (owner, one seat, on
     * the free plan); pending memberships waiting for this email or handle are claimed.
     */
    public static User signIn(EntityManager em, Identity identity, Instant now) {
        return signIn(em, identity, now, claimed -> { });
    }

    /** As {@link #signIn(EntityManager, Identity, Instant)}, telling {@code onClaim} of each membership the person takes up. */
    public static User signIn(EntityManager em, Identity identity, Instant now, java.util.function.Consumer<Membership> onClaim) {
        User user = Users.find(em, identity).orElseGet(() -> {
            User fresh = Users.create(em, identity, now);
            String name = identity.login().length() > 200 ? identity.login().substring(0, 200) : identity.login();
            Org personal = new Org(Ids.id("org"), freeSlug(em, identity.login()), name, true, Org.FIRST_PLAN, now);
            em.persist(personal);
            // No JPA relationships between entities, so EclipseLink cannot order the inserts by foreign key.
            em.flush();
            em.persist(new Membership(Ids.id("mem"), personal.id(), fresh.id(), null, Membership.Role.OWNER, Ids.id("seat"), now));
            return fresh;
        });
        for (Membership pending : em.createQuery(
                "select m from Membership m where m.userId is null and m.pendingLogin in :logins", Membership.class)
                .setParameter("logins", logins(identity)).getResultList()) {
            boolean already = membership(em, pending.orgId(), user.id()).isPresent();
            if (already) {
                em.remove(pending);
            } else {
                pending.claim(user.id());
                onClaim.accept(pending);
            }
        }
        em.flush();
        return user;
    }

    public static Optional<Org> orgBySlug(EntityManager em, String slug) {
        if (slug == null) {
            return Optional.empty();
        }
        return em.createQuery("select o from Org o where o.slug = :s", Org.class)
                .setParameter("s", slug.toLowerCase(Locale.ROOT)).getResultStream().findFirst();
    }

    public static Org personalOrg(EntityManager em, String userId) {
        return em.createQuery("select o from Org o, Membership m where m.orgId = o.id and m.userId = :u "
                + "and o.personal = true and m.role = :owner order by o.createdAt", Org.class)
                .setParameter("u", userId).setParameter("owner", Membership.Role.OWNER)
                .getResultStream().findFirst()
                .orElseThrow(() -> new IllegalStateException("user " + userId + " has no personal org"));
    }

    public static Optional<Membership> membership(EntityManager em, String orgId, String userId) {
        return em.createQuery("select m from Membership m where m.orgId = :o and m.userId = :u", Membership.class)
                .setParameter("o", orgId).setParameter("u", userId).getResultStream().findFirst();
    }

    /** Every org a user belongs to, with the membership, oldest first. */
    public static List<Object[]> orgsOf(EntityManager em, String userId) {
        return em.createQuery("select o, m from Org o, Membership m where m.orgId = o.id and m.userId = :u order by o.createdAt",
                Object[].class).setParameter("u", userId).getResultList();
    }

    public static List<Membership> members(EntityManager em, String orgId) {
        return em.createQuery("select m from Membership m where m.orgId = :o order by m.createdAt", Membership.class)
                .setParameter("o", orgId).getResultList();
    }

    /** Whether a membership in the org waits for the first login of {@code login}. */
    public static boolean pending(EntityManager em, String orgId, String login) {
        return !em.createQuery("select m from Membership m where m.orgId = :o and m.pendingLogin = :l", Membership.class)
                .setParameter("o", orgId).setParameter("l", login).getResultList().isEmpty();
    }

    /**
     * Whether the org holds fewer than {@code limit} seats. Locks the org first, so that two takers
     * of the last seat cannot both see it free.
     */
    static boolean seatFree(EntityManager em, Org org, int limit) {
        em.lock(org, LockModeType.PESSIMISTIC_WRITE);
        return seatsHeld(em, org.id()) < limit;
    }

    public static long seatsHeld(EntityManager em, String orgId) {
        return em.createQuery("select count(m) from Membership m where m.orgId = :o and m.seat is not null", Long.class)
                .setParameter("o", orgId).getSingleResult();
    }

    private static List<String> logins(Identity identity) {
        return java.util.stream.Stream.of(identity.email(), identity.github()).filter(java.util.Objects::nonNull).toList();
    }

    /** A slug for a personal org, made from the login and unique. */
    static String freeSlug(EntityManager em, String login) {
        String base = login.toLowerCase(Locale.ROOT).split("@", 2)[0].replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        if (base.isEmpty()) {
            base = "org";
        }
        base = base.length() > 40 ? base.substring(0, 40) : base;
        String slug = base;
        while (orgBySlug(em, slug).isPresent()) {
            slug = base + "-" + Ids.id("x").substring(2, 8);
        }
        return slug;
    }
}
