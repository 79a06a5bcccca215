package dev.ccp.server.identity.control;

import dev.ccp.server.identity.entity.User;
import dev.ccp.server.platform.Ids;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.Optional;

/** People: the one place users are looked up by who they say they are, and made at their first sign-in. */
public final class Users {

    private Users() {
    }

    /** The user an email or GitHub handle names; by email first, when the identity has both. */
    public static Optional<User> find(EntityManager em, Identity identity) {
        if (identity.email() != null) {
            Optional<User> byEmail = em.createQuery("select u from User u where u.email = :e", User.class)
                    .setParameter("e", identity.email()).getResultStream().findFirst();
            if (byEmail.isPresent() || identity.github() == null) {
                return byEmail;
            }
        }
        return em.createQuery("select u from User u where u.github = :g", User.class)
                .setParameter("g", identity.github()).getResultStream().findFirst();
    }

    /** The user a principal is for. */
    public static User of(EntityManager em, Principal caller) {
        return em.find(User.class, caller.userId());
    }

    /** The login (email, else GitHub handle) of each of these user ids that names a user. */
    public static java.util.Map<String, String> logins(EntityManager em, java.util.Collection<String> ids) {
        if (ids.isEmpty()) {
            return java.util.Map.of();
        }
        return em.createQuery("select u from User u where u.id in :ids", User.class).setParameter("ids", ids).getResultStream()
                .collect(java.util.stream.Collectors.toMap(User::id, User::login));
    }

    /** A user made for an identity seen for the first time. */
    public static User create(EntityManager em, Identity identity, Instant now) {
        User user = new User(Ids.id("usr"), identity.email(), identity.github(), now);
        em.persist(user);
        return user;
    }
}
