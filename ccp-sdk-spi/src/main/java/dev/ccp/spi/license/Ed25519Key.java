package dev.ccp.spi.license;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An Ed25519 key with its {@code kid}: public only (to verify) or with its private half (to sign).
 *
 * <p>Signing and verifying use the JDK's own Ed25519 ({@code SunEC}), so neither the SDK nor the
 * server pulls in a second crypto provider. Keys travel as RFC 8037 OKP JWKs.
 */
public final class Ed25519Key {

    // DER prefixes of SubjectPublicKeyInfo and PKCS#8 for Ed25519 (RFC 8410); the raw key follows.
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private static final AtomicBoolean PRELOADING = new AtomicBoolean();

    private final String kid;
    private final PublicKey publicKey;
    private final byte[] rawPublic;
    private final PrivateKey privateKey;

    private Ed25519Key(String kid, byte[] rawPublic, byte[] seed) {
        if (kid == null || kid.isBlank()) {
            throw new IllegalArgumentException("kid must not be blank");
        }
        if (rawPublic.length != 32) {
            throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, got " + rawPublic.length);
        }
        this.kid = kid;
        this.rawPublic = rawPublic.clone();
        try {
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            this.publicKey = factory.generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, rawPublic)));
            this.privateKey = seed == null ? null : factory.generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 key: " + e.getMessage(), e);
        }
    }

    /**
     * Starts making the JDK's Ed25519 ready on a daemon thread, and returns at once. The JDK finds it
     * by loading its security providers and their curve tables: tens of milliseconds that a program
     * verifying a pack soon after it starts (every {@code ccp} command) can spend on its other work
     * first. Verification is the same with or without it; only the first call in a JVM starts anything.
     */
    public static void preload() {
        if (PRELOADING.compareAndSet(false, true)) {
            Thread thread = new Thread(Ed25519Key::verifyTestVector, "ccp-ed25519-preload");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** RFC 8032 section 7.1, test 1: the empty message; on every path a real verification takes. */
    private static void verifyTestVector() {
        HexFormat hex = HexFormat.of();
        ofPublic("rfc8032-test-1", hex.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))
                .verify(new byte[0], hex.parseHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"));
    }

    /** A verifying key from its 32 raw bytes. */
    public static Ed25519Key ofPublic(String kid, byte[] rawPublic) {
        return new Ed25519Key(kid, rawPublic, null);
    }

    /** A signing key from its 32-byte seed and 32-byte public key. */
    public static Ed25519Key ofPrivate(String kid, byte[] rawPublic, byte[] seed) {
        Objects.requireNonNull(seed, "seed");
        if (seed.length != 32) {
            throw new IllegalArgumentException("an Ed25519 seed has 32 bytes, got " + seed.length);
        }
        return new Ed25519Key(kid, rawPublic, seed);
    }

    /**
     * A fresh signing key. Its kid is {@code <prefix>-} followed by the start of its RFC 7638
     * thumbprint, so the purpose of a key can be told from its kid alone.
     */
    public static Ed25519Key generate(String prefix) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] rawPublic = tail(pair.getPublic().getEncoded());
            byte[] seed = tail(pair.getPrivate().getEncoded());
            String thumb = thumbprint(rawPublic);
            return ofPrivate(prefix + "-" + thumb.substring(0, 16), rawPublic, seed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    /** Reads an OKP/Ed25519 JWK; the private half is kept when the JWK has one. */
    public static Ed25519Key fromJwk(OctetKeyPair jwk) {
        if (!Curve.Ed25519.equals(jwk.getCurve())) {
            throw new IllegalArgumentException("key " + jwk.getKeyID() + " is not on curve Ed25519");
        }
        byte[] x = jwk.getDecodedX();
        return jwk.isPrivate() ? ofPrivate(jwk.getKeyID(), x, jwk.getDecodedD()) : ofPublic(jwk.getKeyID(), x);
    }

    /** The public half as a JWK ({@code kty: OKP}, {@code crv: Ed25519}, {@code use: sig}, {@code alg: EdDSA}). */
    public OctetKeyPair toPublicJwk() {
        return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(rawPublic))
                .keyID(kid)
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(com.nimbusds.jose.JWSAlgorithm.EdDSA)
                .build();
    }

    /** Both halves as a JWK, for the server's key files only. */
    public OctetKeyPair toPrivateJwk() {
        if (privateKey == null) {
            throw new IllegalStateException("key " + kid + " has no private half");
        }
        return new OctetKeyPair.Builder(toPublicJwk()).d(Base64URL.encode(tail(privateKey.getEncoded()))).build();
    }

    public String kid() {
        return kid;
    }

    public boolean canSign() {
        return privateKey != null;
    }

    /** {@code SHA256:} and the base64url RFC 7638 thumbprint, shown to people when keys are pinned. */
    public String fingerprint() {
        return "SHA256:" + thumbprint(rawPublic);
    }

    public byte[] sign(byte[] data) {
        if (privateKey == null) {
            throw new IllegalStateException("key " + kid + " has no private half");
        }
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(privateKey);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** Checks a signature. The JDK compares the recomputed point in constant time. */
    public boolean verify(byte[] data, byte[] signature) {
        if (signature == null || signature.length != 64) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Whether the other key has the same public half (kids may differ). */
    public boolean samePublicKey(Ed25519Key other) {
        return Arrays.equals(rawPublic, other.rawPublic);
    }

    private static String thumbprint(byte[] rawPublic) {
        try {
            return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(rawPublic)).build().computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] tail(byte[] encoded) {
        return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public String toString() {
        return "Ed25519Key[" + kid + (canSign() ? ", private" : "") + "]";
    }
}
