package dev.ccp.server.identity.control;

import java.util.Map;

/**
 * Decides who the person at the verification page is. The reference server's provider takes the
 * person's word for it; GitHub OAuth, OIDC or SAML providers plug in behind this same interface.
 */
public interface IdentityProvider {

    /**
     * Reads the verification form.
     *
     * @param form the submitted fields
     * @return who the person is
     * @throws IllegalArgumentException with a sentence for the person when the form names no one valid
     */
    Identity identify(Map<String, String> form);
}
