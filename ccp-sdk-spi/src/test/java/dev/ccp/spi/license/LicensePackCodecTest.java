package dev.ccp.spi.license;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.spi.wire.JsonValues;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LicensePackCodecTest {

    private final LicensePackCodec codec = new LicensePackCodec();

    @Test
    void signingTheVectorClaimsGivesTheVectorBytes() {
        assertThat(codec.sign(LicenseVectors.VALID_CLAIMS, LicenseVectors.KEY)).isEqualTo(LicenseVectors.VALID);
    }

    @Test
    void validVectorVerifiesWithItsClaims() {
        Verification v = codec.verify(LicenseVectors.VALID, LicenseVectors.TRUSTED, LicenseVectors.NOW, null);
        assertThat(v.status()).isEqualTo(LicenseStatus.VALID);
        assertThat(v.claims()).isEqualTo(LicenseVectors.VALID_CLAIMS);
        assertThat(v.kid()).isEqualTo(LicenseVectors.KID);
    }

    @Test
    void tamperedPayloadIsBadSignature() {
        assertThat(status(LicenseVectors.TAMPERED_PAYLOAD, LicenseVectors.NOW, null)).isEqualTo(LicenseStatus.BAD_SIGNATURE);
    }

    @Test
    void tamperedSignatureIsBadSignature() {
        assertThat(status(LicenseVectors.TAMPERED_SIGNATURE, LicenseVectors.NOW, null)).isEqualTo(LicenseStatus.BAD_SIGNATURE);
    }

    @Test
    void packFromAForgersKeyUnderATrustedKidIsBadSignature() {
        assertThat(status(LicenseVectors.WRONG_KEY_PACK, LicenseVectors.NOW, null)).isEqualTo(LicenseStatus.BAD_SIGNATURE);
    }

    @Test
    void packFromAnUntrustedKidIsUnknownKey() {
        Verification v = codec.verify(LicenseVectors.VALID, KeyRing.of(Ed25519Key.generate("license")), LicenseVectors.NOW, null);
        assertThat(v.status()).isEqualTo(LicenseStatus.UNKNOWN_KEY);
        assertThat(v.claims()).isNull();
    }

    @Test
    void expiredVectorIsExpired() {
        assertThat(status(LicenseVectors.EXPIRED, LicenseVectors.NOW, null)).isEqualTo(LicenseStatus.EXPIRED);
    }

    @Test
    void betweenExpiryAndGraceEndIsGrace() {
        Instant inGrace = LicenseVectors.VALID_CLAIMS.expiresAt().plusSeconds(86400);
        assertThat(status(LicenseVectors.VALID, inGrace, null)).isEqualTo(LicenseStatus.GRACE);
        assertThat(LicenseStatus.GRACE.grants()).isTrue();
    }

    @Test
    void clockSkewWithinToleranceStillValidates() {
        Instant slightlyBehind = LicenseVectors.ISSUED.minusSeconds(60);
        assertThat(status(LicenseVectors.VALID, slightlyBehind, null)).isEqualTo(LicenseStatus.VALID);
    }

    @Test
    void packIssuedInTheFutureOfTheLocalClockIsClockRollback() {
        Instant dayBefore = LicenseVectors.ISSUED.minusSeconds(86400);
        assertThat(status(LicenseVectors.VALID, dayBefore, null)).isEqualTo(LicenseStatus.CLOCK_ROLLBACK);
    }

    @Test
    void clockEarlierThanLastSeenIsClockRollback() {
        Instant lastSeen = LicenseVectors.NOW.plusSeconds(3 * 86400);
        assertThat(status(LicenseVectors.VALID, LicenseVectors.NOW, lastSeen)).isEqualTo(LicenseStatus.CLOCK_ROLLBACK);
    }

    @Test
    void notBeforeInTheFutureIsNotYetValid() {
        LicenseClaims c = LicenseVectors.VALID_CLAIMS;
        LicenseClaims later = new LicenseClaims(c.iss(), c.sub(), c.org(), c.seat(), c.plan(), c.entitlements(), c.seats(),
                c.iat(), c.iat() + 2 * 86400, c.exp(), c.refreshAfter(), c.graceUntil(), c.lid(), c.state(), c.message());
        String pack = codec.sign(later, LicenseVectors.KEY);
        assertThat(status(pack, LicenseVectors.NOW, null)).isEqualTo(LicenseStatus.NOT_YET_VALID);
    }

    @Test
    void garbageAndWrongAlgorithmsAreMalformed() {
        assertThat(status("not a pack", LicenseVectors.NOW, null)).isEqualTo(LicenseStatus.MALFORMED);
        assertThat(status("", LicenseVectors.NOW, null)).isEqualTo(LicenseStatus.MALFORMED);
        String[] parts = LicenseVectors.VALID.split("\\.");
        String none = b64("{\"alg\":\"none\",\"typ\":\"ccp-license+jwt\",\"kid\":\"license-test\"}");
        assertThat(status(none + "." + parts[1] + ".", LicenseVectors.NOW, null)).isEqualTo(LicenseStatus.MALFORMED);
        String hs = b64("{\"alg\":\"HS256\",\"typ\":\"ccp-license+jwt\",\"kid\":\"license-test\"}");
        assertThat(status(hs + "." + parts[1] + "." + parts[2], LicenseVectors.NOW, null)).isEqualTo(LicenseStatus.MALFORMED);
    }

    @Test
    void aSignedNonLicenseIsMalformed() {
        String token = SignedJson.sign("at+jwt", "{\"org\":\"acme\",\"plan\":\"pro\"}".getBytes(), LicenseVectors.KEY);
        assertThat(status(token, LicenseVectors.NOW, null)).isEqualTo(LicenseStatus.MALFORMED);
    }

    @Test
    void signedClaimsThatDoNotParseAreMalformed() {
        String pack = SignedJson.sign(LicensePackCodec.TYPE, "{\"plan\":\"pro\"}".getBytes(), LicenseVectors.KEY);
        assertThat(status(pack, LicenseVectors.NOW, null)).isEqualTo(LicenseStatus.MALFORMED);
    }

    /** Claims as the server signs them, with one member changed or removed; "-" removes it. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "exp|-", "exp|\"1801209600\"", "exp|1.8e9", "iat|null", "org|-", "org|7", "plan|true",
            "seats|-1", "seats|99999999999", "entitlements|[]", "entitlements|{\"a\":null}", "message|{}"})
    void claimsWithAMissingOrMistypedMemberAreMalformed(String member, String value) throws Exception {
        Map<String, Object> claims = LicensePackCodec.toJson(LicenseVectors.VALID_CLAIMS);
        if (value.equals("-")) {
            claims.remove(member);
        } else {
            claims.put(member, JsonValues.read(value.getBytes(StandardCharsets.UTF_8)));
        }
        String pack = SignedJson.sign(LicensePackCodec.TYPE, JsonValues.write(claims, false), LicenseVectors.KEY);
        Verification v = codec.verify(pack, LicenseVectors.TRUSTED, LicenseVectors.NOW, null);
        assertThat(v.status()).as(member + "=" + value).isEqualTo(LicenseStatus.MALFORMED);
        assertThat(v.detail()).startsWith("claims do not parse");
    }

    @Test
    void membersANewerServerAddsAreIgnored() throws Exception {
        Map<String, Object> claims = LicensePackCodec.toJson(LicenseVectors.VALID_CLAIMS);
        claims.put("region", "eu");
        String pack = SignedJson.sign(LicensePackCodec.TYPE, JsonValues.write(claims, false), LicenseVectors.KEY);
        Verification v = codec.verify(pack, LicenseVectors.TRUSTED, LicenseVectors.NOW, null);
        assertThat(v.status()).isEqualTo(LicenseStatus.VALID);
        assertThat(v.claims()).isEqualTo(LicenseVectors.VALID_CLAIMS);
    }

    @Test
    void noPackIsMissing() {
        assertThat(status(null, LicenseVectors.NOW, null)).isEqualTo(LicenseStatus.MISSING);
    }

    private LicenseStatus status(String pack, Instant now, Instant lastSeen) {
        return codec.verify(pack, LicenseVectors.TRUSTED, now, lastSeen).status();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes());
    }
}
