package dev.ccp.server.keys.control;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import dev.ccp.server.platform.AtomicFiles;
import dev.ccp.server.platform.http.ProblemException;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the secrets the server keeps for orgs (Slack bot tokens, single sign-on client secrets)
 * before they go into the database, so that a copy of the database (a backup, a replica, a dump
 * handed to support) holds none of them in the clear. AES-256-GCM, with keys kept beside the
 * signing keys in {@code <keys folder>/secrets.jwks} (mode 0600), which every node shares and which
 * never goes into the database.
 *
 * <p>A sealed value reads {@code ccpbox1.<kid>.<nonce>.<ciphertext>} (base64url). It is bound to
 * where it is stored (its table, column and row, {@code context}), as GCM's associated data: copied
 * to another row, it does not open. The first key of the file seals; every key in it opens. A
 * value stored before sealing began reads as it is, and {@link #sealStored} seals those at start,
 * with the values sealed with another key of the file than the first.
 */
public final class SecretBox {

    static final String PREFIX = "ccpbox1.";
    private static final System.Logger LOG = System.getLogger(SecretBox.class.getName());
    static final String FILE = "secrets.jwks";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

    private final SecureRandom random = new SecureRandom();
    /** By kid; the first one seals. */
    private final Map<String, SecretKey> keys;
    private final String sealing;

    private SecretBox(Map<String, SecretKey> keys) {
        this.keys = keys;
        this.sealing = keys.keySet().iterator().next();
    }

    /** The box of a keys folder: its {@value #FILE}, made on first start by whichever node gets there first. */
    public static SecretBox in(Path keysDir) {
        Path file = keysDir.resolve(FILE);
        if (!Files.exists(file)) {
            OctetSequenceKey jwk = new OctetSequenceKey.Builder(randomBytes(32)).keyID("secrets-" + B64.encodeToString(randomBytes(6))).build();
            try {
                AtomicFiles.createSecret(file, new JWKSet(jwk).toString(false).getBytes(StandardCharsets.UTF_8));
            } catch (UncheckedIOException e) {
                throw new IllegalStateException("cannot make " + file + " (" + e.getCause().getMessage() + "): on a keys folder the server"
                        + " cannot write, put a " + FILE + " there first, as docs/server-operations.md (\"Secrets kept for orgs\") shows", e);
            }
        }
        try {
            Map<String, SecretKey> keys = new LinkedHashMap<>();
            for (JWK jwk : JWKSet.parse(Files.readString(file)).getKeys()) {
                if (!(jwk instanceof OctetSequenceKey oct) || oct.getKeyID() == null || oct.toByteArray().length != 32
                        || !oct.getKeyID().matches("[A-Za-z0-9_-]{1,40}")) {
                    throw new IllegalStateException(file + " must hold 256-bit oct keys, each with a kid of at most 40 letters, digits,"
                            + " - and _");
                }
                keys.put(oct.getKeyID(), new SecretKeySpec(oct.toByteArray(), "AES"));
            }
            if (keys.isEmpty()) {
                throw new IllegalStateException(file + " holds no key");
            }
            return new SecretBox(keys);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (ParseException e) {
            throw new IllegalStateException(file + " is not a JWK set: " + e.getMessage(), e);
        }
    }

    private static byte[] randomBytes(int bytes) {
        byte[] out = new byte[bytes];
        new SecureRandom().nextBytes(out);
        return out;
    }

    /** {@code secret} sealed for {@code context} (where it is stored, such as {@code slack_teams.bot_token/T012}). */
    public String seal(String secret, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(sealing), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return PREFIX + sealing + "." + B64.encodeToString(nonce) + "." + B64.encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * The secret a stored value holds: opened when sealed, as it is when stored before sealing began.
     *
     * @throws ProblemException 503 when it was sealed with a key no longer in the file, for another
     *     place, or was changed: the request that needs it cannot be served until an operator puts
     *     the key back or the secret is set again. The message names the place, never the value.
     */
    public String open(String stored, String context) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            return stored;
        }
        String[] parts = stored.substring(PREFIX.length()).split("\\.", -1);
        SecretKey key = parts.length == 3 ? keys.get(parts[0]) : null;
        if (key == null) {
            throw unopened(context, "it was sealed with a key that is not in the keys folder's " + FILE
                    + (parts.length == 3 ? " (" + parts[0] + ")" : ""));
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, UNB64.decode(parts[1])));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(UNB64.decode(parts[2])), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw unopened(context, "it does not open: it was changed, or sealed for another place");
        }
    }

    private static ProblemException unopened(String context, String why) {
        return new ProblemException(503, "secret-unavailable", "Stored secret unavailable", "The server cannot use the stored secret "
                + context + ": " + why + ". An operator restores the keys folder, or the secret is set again.");
    }

    /**
     * Seals the values of {@code table.column} that are not sealed with the sealing key: those stored
     * before sealing began, and those sealed with an older key of the file (so that, once every
     * node seals with a new key, the old one can go). Each is sealed for its row (named by
     * {@code key}), with the context {@code table.column/<key>}, conditional on the value read, so
     * nodes that start together seal each value once. A value that does not open is left as it is
     * (the request that needs it says so). Answers how many it sealed.
     */
    public int sealStored(EntityManager em, String table, String key, String column) {
        @SuppressWarnings("unchecked")
        List<Object[]> stale = em.createNativeQuery("select " + key + ", " + column + " from " + table + " where " + column + " not like '"
                + PREFIX + sealing.replace("_", "\\_") + ".%'").getResultList();
        int sealed = 0;
        for (Object[] row : stale) {
            String context = context(table, column, (String) row[0]);
            String secret;
            try {
                secret = open((String) row[1], context);
            } catch (ProblemException e) {
                LOG.log(System.Logger.Level.WARNING, e.getMessage());
                continue;
            }
            sealed += em.createNativeQuery("update " + table + " set " + column + " = ?1 where " + key + " = ?2 and " + column + " = ?3")
                    .setParameter(1, seal(secret, context)).setParameter(2, row[0]).setParameter(3, row[1]).executeUpdate();
        }
        return sealed;
    }

    /** Where a secret is stored, as its seal is bound to it. */
    public static String context(String table, String column, String key) {
        return table + "." + column + "/" + key;
    }
}
