package dev.ccp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.spi.license.LicenseStatus;
import dev.ccp.spi.license.LicenseVectors;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RenewalTest extends ClientFixture {

    @Test
    void currentLicenseWithoutALoginIsMissingAndStaysOffline() {
        assertThat(client().currentLicense().status()).isEqualTo(LicenseStatus.MISSING);
        assertThat(server.requests).isEmpty();
        assertThat(home).isEmptyDirectory();
    }

    @Test
    void currentLicenseStaysOfflineUntilRefreshAfter() {
        login(client());
        server.requests.clear();

        assertThat(client().currentLicense().status()).isEqualTo(LicenseStatus.VALID);
        assertThat(server.requests).isEmpty();
    }

    @Test
    void currentLicenseRenewsThePackOnceRefreshAfterHasPassed() {
        License first = login(client()).license();
        clock.advance(Duration.ofDays(2));
        server.plan = "team";

        License renewed = client().currentLicense();

        assertThat(renewed.plan()).contains("team");
        assertThat(renewed.expiresAt().get()).isAfter(first.expiresAt().get());
        assertThat(client().license().plan()).contains("team");
    }

    @Test
    void failedRenewalKeepsTheStoredPackAndDoesNotThrow() {
        login(client());
        clock.advance(Duration.ofDays(2));
        server.close();

        License license = client().currentLicense();

        assertThat(license.status()).isEqualTo(LicenseStatus.VALID);
        assertThat(license.plan()).contains("pro");
    }

    @Test
    void afterAFailedRenewalTheNextTryWaitsAMinute() {
        login(client());
        clock.advance(Duration.ofDays(2));
        server.noSeat = true;
        CcpClient client = client();
        client.currentLicense();
        long tries = server.count("GET /v1/license");

        client.currentLicense();
        clock.advance(Duration.ofSeconds(30));
        client.currentLicense();

        assertThat(server.count("GET /v1/license")).isEqualTo(tries);
    }

    @Test
    void refreshThrowsWhenOfflineAndLeavesThePack() {
        login(client());
        server.close();

        assertThatThrownBy(() -> client().refresh())
                .isInstanceOfSatisfying(CcpException.class, e -> assertThat(e.kind()).isEqualTo(CcpException.Kind.SERVER_UNREACHABLE));
        assertThat(client().license().status()).isEqualTo(LicenseStatus.VALID);
    }

    @Test
    void aSeatTakenAwayDeletesThePackOnRefresh() {
        login(client());
        server.noSeat = true;

        assertThatThrownBy(() -> client().refresh())
                .isInstanceOfSatisfying(CcpException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CcpException.Kind.FORBIDDEN);
                    assertThat(e.problem()).hasValueSatisfying(p -> assertThat(p.slug()).isEqualTo("no-seat"));
                });
        assertThat(client().license().status()).isEqualTo(LicenseStatus.MISSING);
    }

    @Test
    void serverStatusRefetchesThePackWhenThePlanChanged() {
        login(client());
        server.plan = "team";

        assertThat(client().serverStatus().plan()).isEqualTo("team");
        assertThat(client().license().plan()).contains("team");
    }

    @Test
    void serverStatusSayingNoSeatDeletesTheStoredPack() {
        login(client());
        server.noSeat = true;

        assertThat(client().serverStatus().seat()).isNull();
        assertThat(client().license().status()).isEqualTo(LicenseStatus.MISSING);
        assertThat(server.count("GET /v1/license")).isEqualTo(1);
    }

    @Test
    void serverStatusLeavesAMatchingPackAlone() {
        login(client());
        server.requests.clear();

        client().serverStatus();

        assertThat(server.requests).containsExactly("GET /v1/license/status");
    }

    @Test
    void aFreshPackNotGrantingEitherMakesTheNextTryWaitAMinute() {
        login(client());
        clock.advance(Duration.ofDays(2));
        server.clockAhead = Duration.ofHours(1); // its packs are issued in our future: CLOCK_ROLLBACK
        CcpClient client = client();
        assertThat(client.currentLicense().status()).isEqualTo(LicenseStatus.CLOCK_ROLLBACK);
        long tries = server.count("GET /v1/license");

        client.currentLicense();
        clock.advance(Duration.ofSeconds(30));
        client.currentLicense();
        assertThat(server.count("GET /v1/license")).isEqualTo(tries);

        clock.advance(Duration.ofSeconds(31));
        client.currentLicense();
        assertThat(server.count("GET /v1/license")).isEqualTo(tries + 1);
    }

    @Test
    void aFreshPackFromTheServerForgivesAClockThatOnceRanAhead() throws Exception {
        Instant corrected = clockRanAheadThenCameBack();
        assertThat(client().license().status()).isEqualTo(LicenseStatus.CLOCK_ROLLBACK);

        License renewed = client().currentLicense();

        assertThat(renewed.status()).isEqualTo(LicenseStatus.VALID);
        assertThat(client().license().status()).isEqualTo(LicenseStatus.VALID);
        assertThat(Files.readString(home.resolve("state.json"))).contains(corrected.toString());
    }

    @Test
    void offlineAClockThatOnceRanAheadStaysRefused() throws Exception {
        clockRanAheadThenCameBack();
        server.close();

        assertThat(client().currentLicense().status()).isEqualTo(LicenseStatus.CLOCK_ROLLBACK);
        assertThat(Files.readString(home.resolve("state.json"))).contains(ranAheadTo.toString());
    }

    @Test
    void aFetchedPackThatDoesNotVerifyLeavesTheLastTimeSeenAlone() throws Exception {
        clockRanAheadThenCameBack();
        server.signingKey = LicenseVectors.WRONG_KEY;

        assertThatThrownBy(() -> client().refresh())
                .isInstanceOfSatisfying(CcpException.class, e -> assertThat(e.kind()).isEqualTo(CcpException.Kind.LICENSE_INVALID));
        assertThat(client().license().status()).isEqualTo(LicenseStatus.CLOCK_ROLLBACK);
        assertThat(Files.readString(home.resolve("state.json"))).contains(ranAheadTo.toString());
    }

    /** When the license was checked with the clock a year ahead. */
    private Instant ranAheadTo;

    /** Logs in, checks the license once while the clock is a year ahead, then sets it right; returns the right time. */
    private Instant clockRanAheadThenCameBack() {
        login(client());
        Instant corrected = clock.instant().plus(Duration.ofHours(1));
        ranAheadTo = clock.instant().plus(Duration.ofDays(365));
        clock.set(ranAheadTo);
        client().license();
        clock.set(corrected);
        return corrected;
    }
}
