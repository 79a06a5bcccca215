package dev.ccp.server.identity.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * The stand-in identity provider: the person types an email address or a GitHub handle into the
 * {@code login} field and is believed. Fit for a reference server and tests, not for production.
 */
@ApplicationScoped
public class StubIdentityProvider implements IdentityProvider {

    @Override
    public Identity identify(Map<String, String> form) {
        return Identity.parse(form.get("login")).orElseThrow(() ->
                new IllegalArgumentException("Enter an email address (you@example.com) or a GitHub handle (octocat)."));
    }
}
