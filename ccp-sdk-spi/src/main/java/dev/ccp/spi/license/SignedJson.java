package dev.ccp.spi.license;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import dev.ccp.spi.wire.JsonValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compact JWS with {@code alg: EdDSA} over a JSON payload, for every signed thing CCP makes (license
 * packs, access tokens). nimbus-jose-jwt frames what is signed; verification reads the three parts
 * with Jackson's streaming parser (see {@link #verify}); the JDK's Ed25519 does the maths, so no second
 * crypto provider is needed.
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
        // Read with the one JSON library of the rest of the SDK, not nimbus' own parser: verifying is
        // on every start of a tool, and a second JSON library cost it as much as the check itself.
        String[] parts = compact.strip().split("\\.", -1);
        if (parts.length != 3) {
            return new Outcome(null, Failure.MALFORMED, null, "not a compact JWS: " + parts.length + " parts, not 3");
        }
        Map<String, Object> header;
        byte[] payload;
        byte[] signature;
        try {
            header = JsonValues.readObject(Base64.getUrlDecoder().decode(parts[0]));
            payload = Base64.getUrlDecoder().decode(parts[1]);
            signature = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IOException | IllegalArgumentException e) {
            return new Outcome(null, Failure.MALFORMED, null, "not a compact JWS: " + e.getMessage());
        }
        String kid = text(header, "kid");
        String alg = text(header, "alg");
        if (!"EdDSA".equals(alg)) {
            return new Outcome(null, Failure.MALFORMED, kid, "algorithm " + alg + " is not EdDSA");
        }
        if (header.containsKey("crit")) {
            return new Outcome(null, Failure.MALFORMED, kid, "critical header parameters " + header.get("crit") + " are not understood");
        }
        String type = text(header, "typ");
        if (!expectedType.equals(type)) {
            return new Outcome(null, Failure.MALFORMED, kid, "type " + type + " is not " + expectedType);
        }
        Optional<Ed25519Key> key = trusted.find(kid);
        if (key.isEmpty()) {
            return new Outcome(null, Failure.UNKNOWN_KEY, kid, "signed by key " + kid + ", which is not trusted");
        }
        byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        if (!key.get().verify(signingInput, signature)) {
            return new Outcome(null, Failure.BAD_SIGNATURE, kid, "signature does not match the content");
        }
        return new Outcome(new Verified(kid, type, payload), null, kid, "signature good");
    }

    /** A header parameter's text; null when it is absent or not a string. */
    private static String text(Map<String, Object> header, String name) {
        return header.get(name) instanceof String value ? value : null;
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
}
