package dev.ccp.server.license.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.keys.control.KeyPurpose;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.testing.Fixture;
import dev.ccp.spi.license.LicenseClaims;
import dev.ccp.spi.license.LicensePackCodec;
import dev.ccp.spi.license.LicenseStatus;
import dev.ccp.spi.license.Verification;
import dev.ccp.spi.wire.LicenseStatusResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LicenseServiceTest {

    @TempDir
    Path keys;
    Fixture f;
    Principal ada;

    @BeforeEach
    void setUp() {
        f = new Fixture(keys);
        ada = f.signIn("ada@example.com");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private Verification pack() {
        String pack = f.tx.call(em -> f.licenses.issuePack(em, ada, Fixture.ISSUER, f.clock.instant()));
        return new LicensePackCodec().verify(pack, f.keys.verifiers(KeyPurpose.LICENSE), f.clock.instant(), null);
    }

    private void grant(String plan, Integer seats, Instant expires) {
        f.tx.run(em -> f.licenses.grant(em, em.find(Org.class, ada.orgId()), plan, seats, expires, "trial", "operator", f.clock.instant()));
    }

    @Test
    void firstLoginHoldsAFreeSeatInAPersonalOrg() {
        Verification v = pack();
        assertThat(v.status()).isEqualTo(LicenseStatus.VALID);
        LicenseClaims c = v.claims();
        assertThat(c.plan()).isEqualTo("free");
        assertThat(c.org()).isEqualTo("ada");
        assertThat(c.seat()).startsWith("seat_");
        assertThat(c.sub()).isEqualTo(ada.userId());
        assertThat(c.entitlements()).containsEntry("zai_offload", false).containsEntry("privacy_tier", "local");
        assertThat(c.expiresAt()).isEqualTo(f.clock.instant().plus(Duration.ofDays(14)));
        assertThat(c.graceUntilInstant()).isEqualTo(c.expiresAt().plus(Duration.ofDays(7)));
        assertThat(c.refreshAfterInstant()).isEqualTo(f.clock.instant().plus(Duration.ofHours(24)));
    }

    @Test
    void operatorGrantChangesThePlanAndIsRecordedWithItsCause() {
        grant("team", 10, null);
        LicenseClaims c = pack().claims();
        assertThat(c.plan()).isEqualTo("team");
        assertThat(c.seats()).isEqualTo(10);
        assertThat(c.entitlements()).containsEntry("dashboards", true);
        String cause = f.tx.call(em -> em.createQuery("select e.cause from LicenseEvent e where e.orgId = :o", String.class)
                .setParameter("o", ada.orgId()).getSingleResult());
        assertThat(cause).isEqualTo("operator grant: trial");
    }

    @Test
    void aMemberWithoutASeatHasTheFreePlansFeaturesAndIsToldHowToGetMore() {
        grant("team", 10, null);
        f.tx.run(em -> f.members.add(em, ada, em.find(Org.class, ada.orgId()), "bob@example.com", "member", false, f.clock.instant()));
        Principal bob = f.signIn("bob@example.com", "ada");

        LicenseStatusResponse seated = f.licenses.status(f.tx.call(em -> f.licenses.standing(em, ada)), f.clock.instant(), null);
        LicenseStatusResponse seatless = f.licenses.status(f.tx.call(em -> f.licenses.standing(em, bob)), f.clock.instant(), null);

        assertThat(seated.plan()).isEqualTo("team");
        assertThat(seatless.seat()).isNull();
        assertThat(seatless.plan()).isEqualTo("free");
        assertThat(seatless.entitlements()).isEqualTo(f.licenses.plans().free().entitlements())
                .isNotEqualTo(seated.entitlements());
        assertThat(seatless.message()).contains("no seat in org ada").contains("ask an owner or admin");
        assertThatThrownBy(() -> f.tx.call(em -> f.licenses.issuePack(em, bob, Fixture.ISSUER, f.clock.instant())))
                .hasMessageContaining("no seat");
    }

    @Test
    void packOfAGrantThatEndsSoonExpiresWithItAndHasNoGrace() {
        Instant end = f.clock.instant().plus(Duration.ofDays(3));
        grant("pro", null, end);
        LicenseClaims c = pack().claims();
        assertThat(c.plan()).isEqualTo("pro");
        assertThat(c.expiresAt()).isEqualTo(end);
        assertThat(c.graceUntilInstant()).isEqualTo(end);
        assertThat(c.message()).contains("Pro plan runs until");
    }

    @Test
    void grantPastItsEndFallsBackToFree() {
        grant("pro", null, f.clock.instant().plus(Duration.ofDays(3)));
        f.clock.advance(Duration.ofDays(4));
        LicenseStatusResponse status = f.licenses.status(f.tx.call(em -> f.licenses.standing(em, ada)), f.clock.instant(), "https://ccp.example/");
        assertThat(status.plan()).isEqualTo("free");
        assertThat(status.message()).contains("Your Pro plan ended on");
        assertThat(pack().claims().plan()).isEqualTo("free");
    }

    @Test
    void badGrantsAreRefused() {
        assertThatThrownBy(() -> grant("platinum", null, null)).isInstanceOf(ProblemException.class).hasMessageContaining("unknown plan");
        assertThatThrownBy(() -> grant("pro", 0, null)).hasMessageContaining("seats");
        assertThatThrownBy(() -> grant("pro", null, f.clock.instant().minusSeconds(1))).hasMessageContaining("future");
    }

    @Test
    void plansComeFromConfiguration() {
        Plans plans = Plans.load(java.util.Optional.empty());
        assertThat(plans.get("pro").includes("zai_offload")).isTrue();
        assertThat(plans.get("free").includes("privacy_tier")).isTrue();
        assertThat(plans.cheapestWith("dashboards").orElseThrow().name()).isEqualTo("team");
        assertThat(plans.get("unknown").name()).isEqualTo("free");
    }
}
