package dev.ccp.server.identity.control;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * RFC 8628 §6.1 user codes: 8 letters from an alphabet without vowels (no words) and without
 * look-alikes, shown as {@code XXXX-XXXX}, read back case-insensitively with or without the dash.
 * 20^8 codes give about 34.5 bits, which the guess rate limit makes out of reach.
 */
public final class UserCodes {

    public static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    public static final int LENGTH = 8;

    private UserCodes() {
    }

    /** A fresh code, stored without its dash. */
    public static String generate(SecureRandom random) {
        StringBuilder code = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    public static String display(String code) {
        return code.substring(0, 4) + "-" + code.substring(4);
    }

    /** What a person typed, as stored; empty when it cannot be a user code. */
    public static Optional<String> normalize(String typed) {
        if (typed == null || typed.length() > 32) {
            return Optional.empty();
        }
        String code = typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
        if (code.length() != LENGTH) {
            return Optional.empty();
        }
        for (int i = 0; i < code.length(); i++) {
            if (ALPHABET.indexOf(code.charAt(i)) < 0) {
                return Optional.empty();
            }
        }
        return Optional.of(code);
    }
}
