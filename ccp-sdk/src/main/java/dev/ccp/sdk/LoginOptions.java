package dev.ccp.sdk;

import java.util.Objects;
import java.util.Optional;

/**
 * How to log in. Immutable; each {@code with…} method returns a copy.
 *
 * <pre>{@code
 * client.login(LoginOptions.of(listener).withOrg("acme").withRepin(true));
 * }</pre>
 */
public final class LoginOptions {

    private final LoginListener listener;
    private final String org;
    private final String scope;
    private final boolean repin;

    private LoginOptions(LoginListener listener, String org, String scope, boolean repin) {
        this.listener = listener;
        this.org = org;
        this.scope = scope;
        this.repin = repin;
    }

    public static LoginOptions of(LoginListener listener) {
        return new LoginOptions(Objects.requireNonNull(listener, "listener"), null, null, false);
    }

    /** The org (slug) to log in to; the server picks the person's default org when absent. */
    public LoginOptions withOrg(String org) {
        return new LoginOptions(listener, checkSlug("org", org), scope, repin);
    }

    /** The OAuth scope to ask for; the server's default when absent. */
    public LoginOptions withScope(String scope) {
        return new LoginOptions(listener, org, checkSlug("scope", scope), repin);
    }

    /**
     * Accept license keys that differ from the pinned ones and pin them instead. Only for a key
     * rotation the person has confirmed with the server's operator.
     */
    public LoginOptions withRepin(boolean repin) {
        return new LoginOptions(listener, org, scope, repin);
    }

    public LoginListener listener() {
        return listener;
    }

    public Optional<String> org() {
        return Optional.ofNullable(org);
    }

    public Optional<String> scope() {
        return Optional.ofNullable(scope);
    }

    public boolean repin() {
        return repin;
    }

    private static String checkSlug(String what, String value) {
        if (value != null && value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }
}
