package dev.ccp.server.identity.control;

import dev.ccp.server.identity.entity.User;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.Optional;

/**
 * What identity asks of orgs. Orgs build on identity (a membership is a user's), so identity does
 * not depend on them: {@code org.control} implements this and the composition root wires it in.
 */
public interface Memberships {

    /** Who signed in and the org their session is for. */
    record SignedIn(User user, String orgId, String orgSlug) {
    }

    /** How a person signs in, for the org's audit log: {@code web} (the pages) or {@code device} (a tool's login). */
    String WEB = "web";
    String DEVICE = "device";

    /** Who vouched for the person: the stand-in, GitHub, or the org's own provider. */
    String STAND_IN = "stand-in";
    String GITHUB = "github";
    String OIDC = "oidc";

    /** A sign-in the org does not let in this way, with what to do instead. */
    final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }
    }

    /**
     * Signs a person in for an org: the one {@code orgSlug} names, which they must belong to, or
     * their personal org when it is null. At a first sign-in the person gets a user and a personal
     * org; memberships waiting for their email or handle are claimed. The sign-in is written to the
     * org's audit log, with {@code via} and {@code method}.
     *
     * @throws Refused when the org lets its members in only through its own identity provider
     *
     * @return empty when the person does not belong to the named org
     */
    Optional<SignedIn> signIn(EntityManager em, Identity identity, String orgSlug, String via, String method, Instant now);

    /**
     * Signs a person in by an invite link's secret, as opening the link would: they join the
     * invite's org and the session is for it.
     *
     * @param orgSlug the org the device asked for, or null; an invite to another org is refused
     * @return empty when the secret names no open invite (to that org)
     */
    Optional<SignedIn> join(EntityManager em, Identity identity, String inviteToken, String orgSlug, String via, String method, Instant now);

    /** Whether the user still belongs to the org. */
    boolean isMember(EntityManager em, String orgId, String userId);
}
