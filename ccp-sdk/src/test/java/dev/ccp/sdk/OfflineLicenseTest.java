package dev.ccp.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.spi.license.Ed25519Key;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.license.LicensePackCodec;
import dev.ccp.spi.license.LicenseStatus;
import dev.ccp.spi.license.LicenseVectors;
import dev.ccp.spi.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The stored pack against the shared SPI vectors, with no server at all. */
class OfflineLicenseTest {

    private static final String BUILT_IN = KeyRing.of(LicenseVectors.KEY).toPublicJwks();

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(LicenseVectors.NOW);

    private CcpClient client() {
        return CcpClient.builder().home(home).clock(clock).trustedKeys(BUILT_IN).build();
    }

    private void store(String pack) throws IOException {
        Files.writeString(home.resolve("license.jws"), pack + "\n");
    }

    @ParameterizedTest
    @CsvSource({"VALID, VALID", "TAMPERED_PAYLOAD, BAD_SIGNATURE", "TAMPERED_SIGNATURE, BAD_SIGNATURE",
            "WRONG_KEY_PACK, BAD_SIGNATURE", "EXPIRED, EXPIRED"})
    void storedVectorVerifiesToItsStatus(String vector, LicenseStatus expected) throws Exception {
        store((String) LicenseVectors.class.getField(vector).get(null));

        assertThat(client().license().status()).isEqualTo(expected);
    }

    @Test
    void validVectorCarriesItsClaims() throws Exception {
        store(LicenseVectors.VALID);

        License license = client().license();

        assertThat(license.claims()).isEqualTo(LicenseVectors.VALID_CLAIMS);
        assertThat(license.plan()).contains("pro");
        assertThat(license.org()).contains("acme");
        assertThat(license.seat()).contains("seat_1");
        assertThat(license.expiresAt()).contains(LicenseVectors.VALID_CLAIMS.expiresAt());
        assertThat(license.graceUntil()).contains(LicenseVectors.VALID_CLAIMS.graceUntilInstant());
        assertThat(license.entitled("zai_offload")).isTrue();
    }

    @Test
    void noPackIsMissing() {
        License license = client().license();

        assertThat(license.status()).isEqualTo(LicenseStatus.MISSING);
        assertThat(license.claims()).isNull();
        assertThat(license.entitled("zai_offload")).isFalse();
    }

    @Test
    void aPackFromAPinnedServerIsUnknownKeyWithoutPinsOrBuiltInKeys() throws Exception {
        store(LicenseVectors.VALID);

        License license = CcpClient.builder().home(home).clock(clock).build().license();

        assertThat(license.status()).isEqualTo(LicenseStatus.UNKNOWN_KEY);
    }

    @Test
    void clockWoundBackBelowTheLastCheckIsClockRollback() throws Exception {
        store(LicenseVectors.VALID);
        clock.advance(Duration.ofDays(3));
        assertThat(client().license().status()).isEqualTo(LicenseStatus.VALID);

        clock.set(LicenseVectors.NOW);

        assertThat(client().license().status()).isEqualTo(LicenseStatus.CLOCK_ROLLBACK);
        assertThat(Files.readString(home.resolve("state.json"))).contains(LicenseVectors.NOW.plus(Duration.ofDays(3)).toString());
    }

    @Test
    void lastSeenOnlyMovesForward() throws Exception {
        store(LicenseVectors.VALID);
        clock.advance(Duration.ofHours(2));
        client().license();
        clock.set(LicenseVectors.NOW.plus(Duration.ofHours(1)));

        client().license();

        assertThat(Files.readString(home.resolve("state.json"))).contains(LicenseVectors.NOW.plus(Duration.ofHours(2)).toString());
    }

    @Test
    void inGraceTheLicenseStillGrants() throws Exception {
        store(LicenseVectors.VALID);
        clock.set(LicenseVectors.VALID_CLAIMS.expiresAt().plus(Duration.ofDays(1)));

        License license = client().license();

        assertThat(license.status()).isEqualTo(LicenseStatus.GRACE);
        assertThat(license.entitled("dashboards")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"access", "policy"})
    void aPackSignedByAnotherPurposesKeyInTheTrustedJwksDoesNotVerify(String purpose) throws Exception {
        Ed25519Key other = Ed25519Key.generate(purpose);
        String published = KeyRing.of(LicenseVectors.KEY, other).toPublicJwks(); // as the server's JWKS lists them
        store(new LicensePackCodec().sign(LicenseVectors.VALID_CLAIMS, other));

        License license = CcpClient.builder().home(home).clock(clock).trustedKeys(published).build().license();

        assertThat(license.status()).isEqualTo(LicenseStatus.UNKNOWN_KEY);
        assertThat(license.entitled("zai_offload")).isFalse();
    }
}
