package dev.ccp.server.web.control;

import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.org.control.Accounts;
import dev.ccp.server.platform.Ids;
import dev.ccp.server.web.entity.WebSession;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Browser sessions: 12 hours, one org each, ended by sign-out, by losing the membership, or when
 * identity ends a person's sessions for the org (as an org's enforcing its own provider does).
 */
public final class WebSessions {

    public static final String COOKIE = "ccp_session";
    public static final Duration TTL = Duration.ofHours(12);

    private WebSessions() {
    }

    /** Starts a session and answers the cookie's secret, which is stored only hashed. */
    public static String start(EntityManager em, String userId, String orgId, Instant now) {
        String secret = Ids.secret();
        em.persist(new WebSession(Ids.hash(secret), userId, orgId, now, now.plus(TTL)));
        return secret;
    }

    /** Who a session cookie belongs to, while it is live and the person is still in the org. */
    public static Optional<Principal> resolve(EntityManager em, String secret, Instant now) {
        if (secret == null || secret.isBlank() || secret.length() > 100) {
            return Optional.empty();
        }
        WebSession session = em.find(WebSession.class, Ids.hash(secret));
        if (session == null || !now.isBefore(session.expiresAt())
                || Accounts.membership(em, session.orgId(), session.userId()).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Principal(session.userId(), session.orgId(), null, "web"));
    }

    /**
     * The CSRF token of a session's forms: derived from the cookie's secret, which a page on another
     * site can neither read (HttpOnly) nor send (SameSite), so it needs no storage, holds on every
     * node, serves every tab, and ends with the session.
     */
    public static String csrf(String secret) {
        return Ids.hash("csrf:" + secret);
    }

    /** Deletes the sessions that have expired; answers how many. */
    public static int prune(EntityManager em, Instant now) {
        return em.createQuery("delete from WebSession s where s.expiresAt < :now").setParameter("now", now).executeUpdate();
    }

    /**
     * Ends every session of a user for an org, when identity ends their sessions there (see
     * {@link dev.ccp.server.identity.control.PageSessions}); answers how many.
     */
    public static int endAll(EntityManager em, String userId, String orgId) {
        return em.createQuery("delete from WebSession s where s.userId = :u and s.orgId = :o")
                .setParameter("u", userId).setParameter("o", orgId).executeUpdate();
    }

    public static void end(EntityManager em, String secret) {
        if (secret != null) {
            WebSession session = em.find(WebSession.class, Ids.hash(secret));
            if (session != null) {
                em.remove(session);
            }
        }
    }
}
