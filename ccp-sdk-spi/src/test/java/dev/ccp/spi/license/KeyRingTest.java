package dev.ccp.spi.license;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyRingTest {

    @Test
    void publicJwksRoundTripsWithoutPrivateHalves() {
        Ed25519Key license = Ed25519Key.generate("license");
        Ed25519Key access = Ed25519Key.generate("access");
        String jwks = KeyRing.of(license, access).toPublicJwks();

        assertThat(jwks).contains("\"kty\":\"OKP\"", "\"crv\":\"Ed25519\"").doesNotContain("\"d\"");
        KeyRing parsed = KeyRing.parseJwks(jwks);
        assertThat(parsed.sameKeys(KeyRing.of(license, access))).isTrue();
        assertThat(parsed.forPurpose("license").keys()).extracting(Ed25519Key::kid).containsExactly(license.kid());
        assertThat(parsed.find(license.kid()).orElseThrow().canSign()).isFalse();
    }

    @Test
    void privateJwkKeepsTheSigningHalf() {
        Ed25519Key key = Ed25519Key.generate("policy");
        Ed25519Key back = Ed25519Key.fromJwk(key.toPrivateJwk());
        byte[] sig = back.sign(new byte[] {1, 2, 3});
        assertThat(key.verify(new byte[] {1, 2, 3}, sig)).isTrue();
        assertThat(key.verify(new byte[] {1, 2, 4}, sig)).isFalse();
    }

    @Test
    void differentKeysUnderTheSameKidAreNotTheSame() {
        assertThat(KeyRing.of(LicenseVectors.KEY).sameKeys(KeyRing.of(LicenseVectors.WRONG_KEY))).isFalse();
        assertThat(LicenseVectors.KEY.fingerprint()).startsWith("SHA256:").isNotEqualTo(LicenseVectors.WRONG_KEY.fingerprint());
    }

    @Test
    void notAJwksIsRefused() {
        assertThatThrownBy(() -> KeyRing.parseJwks("{\"keys\": 3}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyRing.of(LicenseVectors.KEY, LicenseVectors.WRONG_KEY)).hasMessageContaining("duplicate kid");
    }
}
