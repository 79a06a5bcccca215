package dev.ccp.server.identity.control;

/** Why an identity provider did not say who the person is, in a sentence for them. */
public final class SignInRefused extends Exception {

    private static final long serialVersionUID = 1L;

    public SignInRefused(String message) {
        super(message);
    }

    public SignInRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
