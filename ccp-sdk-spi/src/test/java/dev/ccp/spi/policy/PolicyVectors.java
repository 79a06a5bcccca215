package dev.ccp.spi.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccp.spi.license.Ed25519Key;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.license.LicenseVectors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Fixed policy pack test vectors, shared by the SPI, SDK and server tests through the SPI test-jar.
 * The keys are the RFC 8032 §7.1 test keys under a {@code policy-} kid; Ed25519 is deterministic, so
 * {@link #VALID} is fixed bytes, kept in {@code vectors/policy/valid.jws}.
 */
public final class PolicyVectors {

    public static final String KID = "policy-test";
    public static final Ed25519Key KEY = Ed25519Key.fromJwk(rekey(LicenseVectors.KEY));
    /** A forger's key under the trusted kid. */
    public static final Ed25519Key WRONG_KEY = Ed25519Key.fromJwk(rekey(LicenseVectors.WRONG_KEY));
    public static final KeyRing TRUSTED = KeyRing.of(KEY);

    public static final Instant ISSUED = LicenseVectors.ISSUED;
    public static final Instant NOW = ISSUED.plusSeconds(3600);
    public static final String ORG = "acme";
    public static final String CHANNEL = "dev";

    public static final JsonNode DOCUMENT = json("""
            {"schema":"ccp.policy/v1","description":"vectors",
             "models":{"allow":["claude-*","glm-*"],"deny":["claude-*-preview"]},
             "offload":{"allowed":true,"models":["glm-4.6"],"min_tokens_in":2000},
             "commands":{"deny":["rm -rf *","git push --force*"]},
             "paths":{"deny":["**/.env","secrets/**","*.pem"]},
             "review":{"enabled":true,"paths":["src/**"],"fail_on":"warning"}}""");

    public static final PolicyClaims CLAIMS = claims(ORG, CHANNEL, 3, ISSUED);

    public static final String VALID = read("valid.jws");
    public static final String TAMPERED_PAYLOAD = withPayload(VALID, claims(ORG, CHANNEL, 4, ISSUED));
    public static final String TAMPERED_SIGNATURE = VALID.substring(0, VALID.length() - 4)
            + (VALID.endsWith("AAAA") ? "BBBB" : "AAAA");
    public static final String WRONG_KEY_PACK = new PolicyPackCodec().sign(CLAIMS, WRONG_KEY);
    public static final String OTHER_ORG = new PolicyPackCodec().sign(claims("globex", CHANNEL, 3, ISSUED), KEY);
    public static final String OTHER_CHANNEL = new PolicyPackCodec().sign(claims(ORG, "prod", 3, ISSUED), KEY);
    /** Issued two days before {@link #NOW}, valid for one. */
    public static final String EXPIRED = new PolicyPackCodec().sign(claims(ORG, CHANNEL, 3, NOW.minusSeconds(2 * 86400)), KEY);

    private PolicyVectors() {
    }

    /** Claims for the vector document, valid for a day from {@code issued}. */
    public static PolicyClaims claims(String org, String channel, long version, Instant issued) {
        return new PolicyClaims("https://ccp.example", org, channel, version, issued.getEpochSecond(),
                issued.getEpochSecond() + 86400, DOCUMENT);
    }

    public static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static com.nimbusds.jose.jwk.OctetKeyPair rekey(Ed25519Key key) {
        return new com.nimbusds.jose.jwk.OctetKeyPair.Builder(key.toPrivateJwk()).keyID(KID).build();
    }

    private static String withPayload(String compact, PolicyClaims claims) {
        String[] parts = compact.split("\\.");
        String other = new PolicyPackCodec().sign(claims, KEY).split("\\.")[1];
        return parts[0] + "." + other + "." + parts[2];
    }

    private static String read(String name) {
        try (InputStream in = PolicyVectors.class.getResourceAsStream("/vectors/policy/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test vector " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String decodePayload(String compact) {
        return new String(Base64.getUrlDecoder().decode(compact.split("\\.")[1]), StandardCharsets.UTF_8);
    }
}
