package dev.ccp.server.identity.control;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who a person is, as an identity provider vouches: an email address or a GitHub handle (or both),
 * always lower-case so that look-ups do not depend on how it was typed.
 */
public record Identity(String email, String github) {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+");
    private static final Pattern GITHUB = Pattern.compile("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,38}");

    public Identity {
        if (email == null && github == null) {
            throw new IllegalArgumentException("an identity needs an email or a GitHub handle");
        }
    }

    /**
     * Reads an email address or a GitHub handle (an optional leading {@code @} is dropped).
     *
     * @return empty when the text is neither
     */
    public static Optional<Identity> parse(String login) {
        if (login == null) {
            return Optional.empty();
        }
        String text = login.strip().toLowerCase(Locale.ROOT);
        if (text.length() > 254) {
            return Optional.empty();
        }
        if (text.contains("@") && !text.startsWith("@")) {
            return EMAIL.matcher(text).matches() ? Optional.of(new Identity(text, null)) : Optional.empty();
        }
        String handle = text.startsWith("@") ? text.substring(1) : text;
        return GITHUB.matcher(handle).matches() ? Optional.of(new Identity(null, handle)) : Optional.empty();
    }

    /**
     * An identity a provider vouches for with both: a verified email (or null) and a GitHub handle.
     *
     * @return empty when neither reads
     */
    public static Optional<Identity> of(String email, String github) {
        String mail = parse(email).map(Identity::email).orElse(null);
        String handle = parse(github).map(Identity::github).orElse(null);
        return mail == null && handle == null ? Optional.empty() : Optional.of(new Identity(mail, handle));
    }

    /** The email, else the GitHub handle. */
    public String login() {
        return email != null ? email : github;
    }
}
