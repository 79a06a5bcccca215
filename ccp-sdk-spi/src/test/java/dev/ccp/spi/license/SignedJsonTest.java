package dev.ccp.spi.license;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The verifier reads the compact JWS itself; what it refuses, and that it reads what nimbus signs. */
class SignedJsonTest {

    static final Ed25519Key KEY = Ed25519Key.generate("license");
    static final KeyRing TRUSTED = KeyRing.of(KEY);

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A JWS with any header, correctly signed by {@link #KEY}. */
    private static String signed(String header, String payload) {
        String input = b64(header) + "." + b64(payload);
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(KEY.sign(input.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void whatNimbusSignsVerifies() {
        String jws = SignedJson.sign("t+jwt", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), KEY);

        SignedJson.Outcome outcome = SignedJson.verify(jws, "t+jwt", TRUSTED);

        assertThat(outcome.failure()).isNull();
        assertThat(new String(outcome.verified().payload(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(outcome.kid()).isEqualTo(KEY.kid());
    }

    @Test
    void aCriticalHeaderParameterIsNotUnderstoodSoRefused() {
        String jws = signed("{\"alg\":\"EdDSA\",\"typ\":\"t+jwt\",\"kid\":\"" + KEY.kid() + "\",\"crit\":[\"exp\"],\"exp\":1}", "{}");

        assertThat(SignedJson.verify(jws, "t+jwt", TRUSTED).failure()).isEqualTo(SignedJson.Failure.MALFORMED);
    }

    @Test
    void anotherAlgorithmOrTypeOrNoKidIsRefused() {
        for (String header : new String[] {
            "{\"alg\":\"none\",\"typ\":\"t+jwt\",\"kid\":\"" + KEY.kid() + "\"}",
            "{\"alg\":\"HS256\",\"typ\":\"t+jwt\",\"kid\":\"" + KEY.kid() + "\"}",
            "{\"alg\":[\"EdDSA\"],\"typ\":\"t+jwt\",\"kid\":\"" + KEY.kid() + "\"}",
            "{\"alg\":\"EdDSA\",\"typ\":\"other\",\"kid\":\"" + KEY.kid() + "\"}"}) {
            assertThat(SignedJson.verify(signed(header, "{}"), "t+jwt", TRUSTED).failure()).as(header).isEqualTo(SignedJson.Failure.MALFORMED);
        }
        assertThat(SignedJson.verify(signed("{\"alg\":\"EdDSA\",\"typ\":\"t+jwt\"}", "{}"), "t+jwt", TRUSTED).failure())
                .isEqualTo(SignedJson.Failure.UNKNOWN_KEY);
    }

    @Test
    void whatIsNotThreePartsOfBase64urlIsMalformed() {
        String good = SignedJson.sign("t+jwt", "{}".getBytes(StandardCharsets.UTF_8), KEY);
        for (String jws : new String[] {"", "a.b", good + ".x", "!!." + good.substring(good.indexOf('.') + 1),
                b64("[1]") + "." + b64("{}") + ".AAAA", b64("not json") + "." + b64("{}") + ".AAAA"}) {
            assertThat(SignedJson.verify(jws, "t+jwt", TRUSTED).failure()).as(jws).isEqualTo(SignedJson.Failure.MALFORMED);
        }
    }

    @Test
    void aChangedPayloadOrSignatureIsABadSignature() {
        String good = SignedJson.sign("t+jwt", "{\"plan\":\"free\"}".getBytes(StandardCharsets.UTF_8), KEY);
        String[] parts = good.split("\\.");
        String payload = parts[0] + "." + b64("{\"plan\":\"team\"}") + "." + parts[2];
        char flipped = parts[2].charAt(10) == 'A' ? 'B' : 'A';
        String signature = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + flipped + parts[2].substring(11);

        assertThat(SignedJson.verify(payload, "t+jwt", TRUSTED).failure()).isEqualTo(SignedJson.Failure.BAD_SIGNATURE);
        assertThat(SignedJson.verify(signature, "t+jwt", TRUSTED).failure()).isEqualTo(SignedJson.Failure.BAD_SIGNATURE);
    }

    @Test
    void aJwksKeepsItsEd25519KeysAndSkipsOthers() {
        String jwks = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"r\",\"n\":\"x\",\"e\":\"AQAB\"},"
                + KeyRing.of(KEY).toPublicJwks().replaceFirst("^\\{\\s*\"keys\"\\s*:\\s*\\[", "").replaceFirst("]\\s*}\\s*$", "") + "]}";

        KeyRing ring = KeyRing.parseJwks(jwks);

        assertThat(ring.keys()).hasSize(1);
        assertThat(ring.find(KEY.kid()).orElseThrow().samePublicKey(KEY)).isTrue();
        assertThatThrownBy(() -> KeyRing.parseJwks("{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"k\",\"x\":\"!!\"}]}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyRing.parseJwks("[]")).isInstanceOf(IllegalArgumentException.class);
    }
}
