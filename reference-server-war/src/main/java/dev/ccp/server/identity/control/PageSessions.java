package dev.ccp.server.identity.control;

import jakarta.persistence.EntityManager;

/**
 * The sessions of the server's pages (a browser's cookie), which end with a person's tokens when
 * their sessions for an org are ended. The pages build on identity, so identity does not depend on
 * them: they implement this and the composition root wires it in.
 */
@FunctionalInterface
public interface PageSessions {

    /**
     * Ends every page session of a user for an org.
     *
     * @return how many ended
     */
    int end(EntityManager em, String userId, String orgId);
}
