package dev.ccp.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.spi.license.LicenseClaims;
import dev.ccp.spi.license.LicenseStatus;
import dev.ccp.spi.license.LicenseVectors;
import dev.ccp.spi.license.Verification;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LicenseTest {

    private static License license(LicenseStatus status, Map<String, Object> entitlements) {
        LicenseClaims c = LicenseVectors.VALID_CLAIMS;
        LicenseClaims claims = new LicenseClaims(c.iss(), c.sub(), c.org(), c.seat(), c.plan(), entitlements, c.seats(),
                c.iat(), c.nbf(), c.exp(), c.refreshAfter(), c.graceUntil(), c.lid(), c.state(), c.message());
        return License.of(new Verification(status, claims, "license-test", "test"));
    }

    @Test
    void booleanTrueAndMeaningfulStringsAreEntitled() {
        License license = license(LicenseStatus.VALID, Map.of("zai_offload", true, "privacy_tier", "minimized"));

        assertThat(license.entitled("zai_offload")).isTrue();
        assertThat(license.entitled("privacy_tier")).isTrue();
        assertThat(license.entitlement("privacy_tier")).contains("minimized");
    }

    @Test
    void falseNoneEmptyNumbersAndUnknownNamesAreNotEntitled() {
        License license = license(LicenseStatus.VALID,
                Map.of("zai_offload", false, "privacy_tier", "none", "dashboards", "", "quota", 100));

        assertThat(license.entitled("zai_offload")).isFalse();
        assertThat(license.entitled("privacy_tier")).isFalse();
        assertThat(license.entitled("dashboards")).isFalse();
        assertThat(license.entitled("quota")).isFalse();
        assertThat(license.entitled("never_heard_of")).isFalse();
        assertThat(license.entitlement("quota")).contains("100");
    }

    @Test
    void graceStillGrantsButExpiredAndTamperedDoNot() {
        Map<String, Object> on = Map.of("zai_offload", true);

        assertThat(license(LicenseStatus.GRACE, on).entitled("zai_offload")).isTrue();
        assertThat(license(LicenseStatus.EXPIRED, on).entitled("zai_offload")).isFalse();
        assertThat(license(LicenseStatus.EXPIRED, on).entitlement("zai_offload")).isEmpty();
        assertThat(license(LicenseStatus.EXPIRED, on).plan()).contains("pro");
        assertThat(license(LicenseStatus.BAD_SIGNATURE, on).entitled("zai_offload")).isFalse();
    }

    @Test
    void missingLicenseHasNoClaimsAndSaysWhy() {
        License missing = License.missing("no license pack");

        assertThat(missing.status()).isEqualTo(LicenseStatus.MISSING);
        assertThat(missing.granted()).isFalse();
        assertThat(missing.plan()).isEmpty();
        assertThat(missing.detail()).isEqualTo("no license pack");
    }
}
