package dev.ccp.server.identity.control;

import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What sign-in asks of orgs about their own identity providers. Orgs build on identity, so identity
 * does not depend on them: {@code org.control} answers, and the composition root wires it in.
 */
public interface SsoDirectory {

    /**
     * An org's OpenID provider: where it is, this server's client there, the email domains it
     * covers, whether the org lets its members in only through it, and the user id of the owner who
     * may still come in another way (null when none).
     */
    record Connection(String orgId, String orgSlug, String issuer, String clientId, String clientSecret, List<String> domains,
            boolean enforced, String breakGlass) {

        /** Whether the provider may vouch for this email: only for the domains the org claimed. */
        public boolean covers(String email) {
            return email != null && domains.contains(domainOf(email));
        }
    }

    /** The domain of an email address, lower-case. */
    static String domainOf(String email) {
        return email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    /** The connection of the org that claimed this email's domain, if any. */
    Optional<Connection> forEmail(EntityManager em, String email);

    /** The connection of an org, if it has one. */
    Optional<Connection> ofOrg(EntityManager em, String orgId);
}
