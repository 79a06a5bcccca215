package dev.ccp.spi.license;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.text.ParseException;
import java.util.Optional;
import java.util.Set;

/**
 * Compact JWS with {@code alg: EdDSA} over a JSON payload, for every signed thing CCP makes (license
 * packs, access tokens). nimbus-jose-jwt does the JOSE framing; the JDK's Ed25519 does the maths, so
 * no second crypto provider is needed.
 */
public final class SignedJson {

    private SignedJson() {
    }

    /** A parsed compact JWS whose signature has been checked against a trusted key. */
    public record Verified(String kid, String type, byte[] payload) {
    }

    /** Why a compact JWS was refused, before any claim was looked at. */
    public enum Failure { MALFORMED, UNKNOWN_KEY, BAD_SIGNATURE }

    /** The result of {@link #verify}: exactly one of {@code verified} and {@code failure} is set. */
    public record Outcome(Verified verified, Failure failure, String kid, String detail) {
    }

    public static String sign(String type, byte[] payload, Ed25519Key key) {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.EdDSA)
                .type(new JOSEObjectType(type))
                .keyID(key.kid())
                .build();
        JWSObject jws = new JWSObject(header, new Payload(payload));
        try {
            jws.sign(new JdkSigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return jws.serialize();
    }

    /**
     * Checks framing, algorithm, type and signature. Claims are the caller's to check.
     *
     * @param expectedType the {@code typ} the header must carry
     */
    public static Outcome verify(String compact, String expectedType, KeyRing trusted) {
        if (compact == null || compact.isBlank()) {
            return new Outcome(null, Failure.MALFORMED, null, "empty");
        }
        JWSObject jws;
        try {
            jws = JWSObject.parse(compact.strip());
        } catch (ParseException | IllegalArgumentException e) {
            return new Outcome(null, Failure.MALFORMED, null, "not a compact JWS: " + e.getMessage());
        }
        JWSHeader header = jws.getHeader();
        String kid = header.getKeyID();
        if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
            return new Outcome(null, Failure.MALFORMED, kid, "algorithm " + header.getAlgorithm() + " is not EdDSA");
        }
        String type = header.getType() == null ? null : header.getType().getType();
        if (!expectedType.equals(type)) {
            return new Outcome(null, Failure.MALFORMED, kid, "type " + type + " is not " + expectedType);
        }
        Optional<Ed25519Key> key = trusted.find(kid);
        if (key.isEmpty()) {
            return new Outcome(null, Failure.UNKNOWN_KEY, kid, "signed by key " + kid + ", which is not trusted");
        }
        boolean good;
        try {
            good = jws.verify(new JdkVerifier(key.get()));
        } catch (JOSEException | IllegalStateException e) {
            good = false;
        }
        if (!good) {
            return new Outcome(null, Failure.BAD_SIGNATURE, kid, "signature does not match the content");
        }
        return new Outcome(new Verified(kid, type, jws.getPayload().toBytes()), null, kid, "signature good");
    }

    private abstract static class JdkProvider {
        private final JCAContext context = new JCAContext();

        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return Set.of(JWSAlgorithm.EdDSA);
        }

        public JCAContext getJCAContext() {
            return context;
        }
    }

    private static final class JdkSigner extends JdkProvider implements JWSSigner {
        private final Ed25519Key key;

        JdkSigner(Ed25519Key key) {
            this.key = key;
        }

        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) {
            return Base64URL.encode(key.sign(signingInput));
        }
    }

    private static final class JdkVerifier extends JdkProvider implements JWSVerifier {
        private final Ed25519Key key;

        JdkVerifier(Ed25519Key key) {
            this.key = key;
        }

        @Override
        public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) {
            return key.verify(signingInput, signature.decode());
        }
    }
}
