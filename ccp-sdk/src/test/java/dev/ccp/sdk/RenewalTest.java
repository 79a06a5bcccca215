package dev.ccp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.spi.license.LicenseStatus;
import java.time.Duration;
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
}
