package dev.ccp.spi.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.spi.license.Ed25519Key;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.license.LicensePackCodec;
import dev.ccp.spi.license.LicenseVectors;
import dev.ccp.spi.policy.PolicyVerification.Result;
import org.junit.jupiter.api.Test;

class PolicyPackCodecTest {

    private final PolicyPackCodec codec = new PolicyPackCodec();

    private Result check(String pack) {
        return codec.verify(pack, PolicyVectors.TRUSTED, PolicyVectors.ORG, PolicyVectors.CHANNEL, PolicyVectors.NOW).result();
    }

    @Test
    void signingTheVectorClaimsGivesTheVectorBytes() {
        assertThat(codec.sign(PolicyVectors.CLAIMS, PolicyVectors.KEY)).isEqualTo(PolicyVectors.VALID);
    }

    @Test
    void payloadIsCanonicalWithSortedKeysAtEveryLevel() {
        assertThat(PolicyVectors.decodePayload(PolicyVectors.VALID))
                .startsWith("{\"channel\":\"dev\",\"exp\":")
                .contains("\"policy\":{\"commands\":")
                .contains("\"offload\":{\"allowed\":true,\"min_tokens_in\":2000,\"models\"")
                .doesNotContain(" \"")
                .endsWith("\"version\":3}");
    }

    @Test
    void validVectorVerifiesWithItsClaimsAndDocument() {
        PolicyVerification v = codec.verify(PolicyVectors.VALID, PolicyVectors.TRUSTED, "acme", "dev", PolicyVectors.NOW);
        assertThat(v.result()).isEqualTo(Result.VALID);
        assertThat(v.claims()).isEqualTo(PolicyVectors.CLAIMS);
        assertThat(v.kid()).isEqualTo(PolicyVectors.KID);
        assertThat(v.document().allowsModel("claude-sonnet-4-5")).isTrue();
    }

    @Test
    void tamperedPayloadOrSignatureIsBadSignature() {
        assertThat(check(PolicyVectors.TAMPERED_PAYLOAD)).isEqualTo(Result.BAD_SIGNATURE);
        assertThat(check(PolicyVectors.TAMPERED_SIGNATURE)).isEqualTo(Result.BAD_SIGNATURE);
    }

    @Test
    void packFromAForgersKeyUnderTheTrustedKidIsBadSignature() {
        assertThat(check(PolicyVectors.WRONG_KEY_PACK)).isEqualTo(Result.BAD_SIGNATURE);
    }

    @Test
    void untrustedKidIsUnknownKey() {
        PolicyVerification v = codec.verify(PolicyVectors.VALID, KeyRing.of(Ed25519Key.generate("policy")), "acme", "dev", PolicyVectors.NOW);
        assertThat(v.result()).isEqualTo(Result.UNKNOWN_KEY);
        assertThat(v.claims()).isNull();
    }

    @Test
    void aLicenseKeyNeverVerifiesAPolicyPack() {
        // The same key material under a license- kid: trusted for licenses, not for policies.
        Ed25519Key licenseKey = LicenseVectors.KEY;
        String pack = codec.sign(PolicyVectors.CLAIMS, PolicyVectors.KEY);
        KeyRing both = KeyRing.of(licenseKey);
        assertThat(codec.verify(pack, both, "acme", "dev", PolicyVectors.NOW).result()).isEqualTo(Result.UNKNOWN_KEY);
        assertThatThrownBy(() -> codec.sign(PolicyVectors.CLAIMS, licenseKey)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLicensePackIsNotAPolicyPack() {
        assertThat(check(LicenseVectors.VALID)).isEqualTo(Result.MALFORMED);
        assertThat(new LicensePackCodec().verify(PolicyVectors.VALID, KeyRing.of(PolicyVectors.KEY), PolicyVectors.NOW, null).status().name())
                .isEqualTo("MALFORMED");
    }

    @Test
    void anotherOrgsOrChannelsPackIsRefused() {
        PolicyVerification other = codec.verify(PolicyVectors.OTHER_ORG, PolicyVectors.TRUSTED, "acme", "dev", PolicyVectors.NOW);
        assertThat(other.result()).isEqualTo(Result.WRONG_ORG);
        assertThat(other.detail()).contains("globex");
        assertThat(check(PolicyVectors.OTHER_CHANNEL)).isEqualTo(Result.WRONG_CHANNEL);
    }

    @Test
    void expiredPackIsRefusedAfterTheSkew() {
        assertThat(check(PolicyVectors.EXPIRED)).isEqualTo(Result.EXPIRED);
        var exp = PolicyVectors.CLAIMS.expiresAt();
        assertThat(codec.verify(PolicyVectors.VALID, PolicyVectors.TRUSTED, "acme", "dev", exp.plusSeconds(299)).result())
                .isEqualTo(Result.VALID);
        assertThat(codec.verify(PolicyVectors.VALID, PolicyVectors.TRUSTED, "acme", "dev", exp.plusSeconds(300)).result())
                .isEqualTo(Result.EXPIRED);
    }

    @Test
    void packIssuedAfterTheLocalClockIsRefused() {
        var early = PolicyVectors.ISSUED.minusSeconds(301);
        assertThat(codec.verify(PolicyVectors.VALID, PolicyVectors.TRUSTED, "acme", "dev", early).result())
                .isEqualTo(Result.ISSUED_IN_FUTURE);
    }

    @Test
    void garbageIsMalformed() {
        assertThat(check("")).isEqualTo(Result.MALFORMED);
        assertThat(check("not.a.pack")).isEqualTo(Result.MALFORMED);
    }

    @Test
    void documentOfAnotherSchemaIsMalformed() {
        PolicyClaims v2 = new PolicyClaims("https://ccp.example", "acme", "dev", 1, PolicyVectors.ISSUED.getEpochSecond(),
                PolicyVectors.ISSUED.getEpochSecond() + 86400, PolicyVectors.json("{\"schema\":\"ccp.policy/v2\"}"));
        assertThat(check(codec.sign(v2, PolicyVectors.KEY))).isEqualTo(Result.MALFORMED);
    }

    @Test
    void refreshKeepsVersionAndDocument() {
        PolicyClaims fresh = PolicyVectors.CLAIMS.refreshed(PolicyVectors.NOW, PolicyVectors.NOW.plusSeconds(86400));
        assertThat(fresh.version()).isEqualTo(3);
        assertThat(fresh.policy()).isEqualTo(PolicyVectors.DOCUMENT);
        assertThat(PolicyPackCodec.unverifiedClaims(codec.sign(fresh, PolicyVectors.KEY))).isEqualTo(fresh);
    }
}
