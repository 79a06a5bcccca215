package dev.ccp.server.identity.control;

import dev.ccp.server.platform.Ids;
import dev.ccp.spi.wire.JsonValues;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sign-ins through an identity provider, between the redirect there and the page that finishes them:
 * what to resume (which page, which org, which device code), the PKCE verifier, and, once the
 * provider vouched, who the person is. Kept in the database under the hash of the OAuth
 * {@code state}, so that any node can finish a sign-in another began, and each is finished once.
 */
public final class SignInAttempts {

    /** How long a person may take at the provider. */
    public static final Duration TTL = Duration.ofMinutes(10);

    private SignInAttempts() {
    }

    /** A sign-in sent to a provider: the {@code state} to carry, the PKCE challenge and the OpenID {@code nonce}. */
    public record Started(String state, String challenge, String nonce) {
    }

    /** A sign-in as stored: its provider, PKCE verifier, nonce, purpose and what to resume. */
    public record Attempt(String provider, String verifier, String nonce, String purpose, Map<String, Object> resume) {
    }

    /**
     * A sign-in the provider vouched for: who the person is, which provider said so (named as
     * {@link Memberships} names the ways in), and what to resume.
     */
    public record Finished(Identity identity, String provider, String purpose, Map<String, Object> resume) {
    }

    /**
     * Begins a sign-in.
     *
     * @param purpose which page finishes it: {@code web}, {@code device} or {@code invite}
     * @param resume what that page needs to carry on; no secrets but the invite token it came with
     */
    public static Started start(EntityManager em, String provider, String purpose, Map<String, Object> resume, Instant now) {
        String state = Ids.secret();
        String verifier = Ids.secret();
        String nonce = Ids.secret();
        em.createNativeQuery("insert into signin_attempts (id, provider, verifier, nonce, purpose, resume, verified, expires_at)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                .setParameter(1, Ids.hash(state)).setParameter(2, provider).setParameter(3, verifier).setParameter(4, nonce)
                .setParameter(5, purpose).setParameter(6, new String(JsonValues.write(resume, false), StandardCharsets.UTF_8))
                .setParameter(7, false).setParameter(8, timestamp(now.plus(TTL))).executeUpdate();
        return new Started(state, challenge(verifier), nonce);
    }

    /** The attempt a provider's callback names by its {@code state}, while it waits for the provider. */
    public static Optional<Attempt> waiting(EntityManager em, String state, Instant now) {
        if (state == null || state.isBlank() || state.length() > 100) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select provider, verifier, nonce, purpose, resume from signin_attempts"
                        + " where id = ?1 and verified = ?2 and expires_at > ?3")
                .setParameter(1, Ids.hash(state)).setParameter(2, false).setParameter(3, timestamp(now)).getResultList();
        return rows.stream().findFirst().map(r -> new Attempt((String) r[0], (String) r[1], (String) r[2], (String) r[3], map((String) r[4])));
    }

    /**
     * Records who the provider vouched for. Only one callback of an attempt gets this far: a second
     * (a replayed code) finds it vouched for already.
     *
     * @return false when the attempt was vouched for already, or is gone
     */
    public static boolean vouched(EntityManager em, String state, Identity identity, Instant now) {
        return em.createNativeQuery("update signin_attempts set verified = ?1, email = ?2, github = ?3"
                        + " where id = ?4 and verified = ?5 and expires_at > ?6")
                .setParameter(1, true).setParameter(2, identity.email()).setParameter(3, identity.github())
                .setParameter(4, Ids.hash(state)).setParameter(5, false).setParameter(6, timestamp(now)).executeUpdate() == 1;
    }

    /**
     * Finishes a vouched sign-in of {@code purpose}, once: of two requests finishing the same attempt,
     * one gets it.
     */
    public static Optional<Finished> finish(EntityManager em, String state, String purpose, Instant now) {
        if (state == null || state.isBlank() || state.length() > 100) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select email, github, resume, provider from signin_attempts"
                        + " where id = ?1 and purpose = ?2 and verified = ?3 and expires_at > ?4")
                .setParameter(1, Ids.hash(state)).setParameter(2, purpose).setParameter(3, true).setParameter(4, timestamp(now))
                .getResultList();
        if (rows.isEmpty() || em.createNativeQuery("delete from signin_attempts where id = ?1 and verified = ?2")
                .setParameter(1, Ids.hash(state)).setParameter(2, true).executeUpdate() != 1) {
            return Optional.empty();
        }
        Object[] row = rows.get(0);
        return Identity.of((String) row[0], (String) row[1]).map(identity -> new Finished(identity, (String) row[3], purpose, map((String) row[2])));
    }

    /** Deletes the attempts that were never finished in time; answers how many. */
    public static int prune(EntityManager em, Instant now) {
        return em.createNativeQuery("delete from signin_attempts where expires_at < ?1").setParameter(1, timestamp(now)).executeUpdate();
    }

    /** The PKCE challenge of a verifier: base64url of its SHA-256 (RFC 7636, {@code S256}). */
    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static LocalDateTime timestamp(Instant at) {
        return LocalDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    private static Map<String, Object> map(String json) {
        try {
            return JsonValues.readObject(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("a sign-in attempt's JSON does not read", e);
        }
    }
}
