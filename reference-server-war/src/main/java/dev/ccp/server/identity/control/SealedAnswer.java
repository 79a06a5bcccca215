package dev.ccp.server.identity.control;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The answer to a refresh, kept on the used refresh token's row so that a retry of the same refresh
 * gets the same answer, sealed (AES-256-GCM) under a key derived from the refresh token itself. Only
 * the holder of that token can open it: the database keeps tokens hashed and never sees the key, so
 * reading it yields no usable token, and no server secret has to be shared between nodes.
 */
final class SealedAnswer {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private SealedAnswer() {
    }

    static String seal(String refreshToken, byte[] answer) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(refreshToken), new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(answer);
            byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The sealed answer, or empty when it was not sealed under this token or was altered. */
    static Optional<byte[]> open(String refreshToken, String sealed) {
        try {
            byte[] in = Base64.getUrlDecoder().decode(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(refreshToken), new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            return Optional.of(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static SecretKeySpec key(String refreshToken) throws GeneralSecurityException {
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(("ccp refresh answer\0" + refreshToken).getBytes(StandardCharsets.UTF_8));
        return new SecretKeySpec(digest, "AES");
    }
}
