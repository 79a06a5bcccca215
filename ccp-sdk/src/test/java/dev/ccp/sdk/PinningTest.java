package dev.ccp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.spi.license.Ed25519Key;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.license.LicenseStatus;
import dev.ccp.spi.license.LicenseVectors;
import dev.ccp.spi.policy.PolicyVectors;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class PinningTest extends ClientFixture {

    private final Ed25519Key rotated = Ed25519Key.generate("license");

    @Test
    void firstLoginToASelfHostedServerPinsItsLicenseAndPolicyKeysAndReportsFingerprints() throws Exception {
        LoginResult result = login(client());

        String fingerprint = "license-test " + LicenseVectors.KEY.fingerprint();
        String policy = "policy-test " + PolicyVectors.KEY.fingerprint();
        assertThat(result.pinnedFingerprints()).containsExactlyInAnyOrder(fingerprint, policy);
        assertThat(listener.pinned).singleElement().satisfies(pinned -> assertThat(pinned).containsExactlyInAnyOrder(fingerprint, policy));
        assertThat(fingerprint).contains("SHA256:");
        assertThat(Files.readString(home.resolve("pins.json"))).contains(server.uri().toString()).doesNotContain("access-");
    }

    @Test
    void secondLoginWithTheSameKeysPinsNothingNew() {
        login(client());
        listener.pinned.clear();

        LoginResult again = login(client());

        assertThat(again.pinnedFingerprints()).isEmpty();
        assertThat(listener.pinned).isEmpty();
    }

    @Test
    void changedServerKeysAreRefusedNamingOldAndNewFingerprints() {
        login(client());
        server.licenseKeys = List.of(rotated);
        server.signingKey = rotated;

        assertThatThrownBy(() -> login(client()))
                .isInstanceOfSatisfying(CcpException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CcpException.Kind.KEY_CHANGED);
                    assertThat(e.getMessage()).contains(LicenseVectors.KEY.fingerprint()).contains(rotated.fingerprint());
                });
        assertThat(client().license().status()).isEqualTo(LicenseStatus.VALID);
        assertThat(server.revoked).contains("rt-2");
    }

    @Test
    void repinAcceptsTheServersNewKeys() {
        login(client());
        server.licenseKeys = List.of(rotated);
        server.signingKey = rotated;

        LoginResult result = client().login(LoginOptions.of(listener).withRepin(true));

        assertThat(result.pinnedFingerprints()).containsExactlyInAnyOrder(rotated.kid() + " " + rotated.fingerprint(),
                "policy-test " + PolicyVectors.KEY.fingerprint());
        assertThat(client().license().status()).isEqualTo(LicenseStatus.VALID);
    }

    @Test
    void renewingAPackSignedWithUnpinnedKeysReportsKeyChanged() {
        login(client());
        server.licenseKeys = List.of(rotated);
        server.signingKey = rotated;

        assertThatThrownBy(() -> client().refresh())
                .isInstanceOfSatisfying(CcpException.class, e -> assertThat(e.kind()).isEqualTo(CcpException.Kind.KEY_CHANGED));
        assertThat(client().license().status()).isEqualTo(LicenseStatus.VALID);
    }

    @Test
    void builtInKeysPinNothingAndRefuseAPackFromAnotherKey() {
        String builtIn = KeyRing.of(LicenseVectors.KEY).toPublicJwks();
        LoginResult result = builder().trustedKeys(builtIn).build().login(LoginOptions.of(listener));

        assertThat(result.pinnedFingerprints()).isEmpty();
        assertThat(home.resolve("pins.json")).doesNotExist();
        assertThat(server.count("GET /.well-known/jwks.json")).isZero();

        server.signingKey = rotated;
        assertThatThrownBy(() -> builder().trustedKeys(builtIn).build().login(LoginOptions.of(listener)))
                .isInstanceOfSatisfying(CcpException.class, e -> assertThat(e.kind()).isEqualTo(CcpException.Kind.LICENSE_INVALID));
    }
}
