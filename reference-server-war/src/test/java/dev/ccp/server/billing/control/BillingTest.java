package dev.ccp.server.billing.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.license.control.LicenseService;
import dev.ccp.server.org.control.Accounts;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.testing.Fixture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BillingTest {

    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path keys;
    Fixture f;
    Billing billing;
    Principal ada;

    @BeforeEach
    void setUp() {
        f = new Fixture(keys);
        billing = f.controls.billing;
        ada = f.signIn("ada@example.com");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    static Snapshot snapshot(String org, String status, boolean cancelAtPeriodEnd, Instant periodStart, Instant modified) {
        return new Snapshot("polar", "sub_1", org, "cus_1", "ada@example.com", status, "pro", null, periodStart,
                periodStart.plus(Duration.ofDays(30)), cancelAtPeriodEnd, null, modified, modified);
    }

    private String apply(Snapshot s) {
        return f.tx.call(em -> billing.apply(em, s, "test", f.clock.instant())).text();
    }

    private String receive(Delivery delivery) {
        return f.tx.call(em -> billing.receive(em, "polar", delivery, T0));
    }

    private LicenseService.Effective now() {
        return f.tx.call(em -> f.licenses.effective(em.find(Org.class, ada.orgId()), f.clock.instant(), "https://ccp.test/"));
    }

    @Test
    void anActiveSubscriptionPutsTheOrgOnItsPlan() {
        apply(snapshot(ada.orgId(), "active", false, T0, T0));
        assertThat(now().plan().name()).isEqualTo("pro");
        assertThat(now().plan().includes("zai_offload")).isTrue();
        assertThat(now().state()).isEqualTo("active");
    }

    @Test
    void pastDueKeepsAccessForTheGraceDaysThenDowngrades() {
        apply(snapshot(ada.orgId(), "past_due", false, T0, T0.plusSeconds(60)));
        f.clock.set(T0.plus(Duration.ofDays(7)).minusSeconds(1));
        assertThat(now().plan().name()).isEqualTo("pro");
        assertThat(now().state()).isEqualTo("past_due");
        assertThat(now().graceUntil()).isEqualTo(T0.plus(Duration.ofDays(7)));
        assertThat(now().message()).contains("did not go through").contains("3 Dec 2026").contains("https://ccp.test/pricing");
        f.clock.set(T0.plus(Duration.ofDays(7)));
        assertThat(now().plan().name()).isEqualTo("free");
        assertThat(now().message()).contains("ended on 3 Dec 2026 because the payment did not go through");
    }

    @Test
    void aDeletionWhoseTimeIsOverSaysTheOrgIsNowOnFree() {
        apply(snapshot(ada.orgId(), "active", false, T0, T0));
        // What Stripe sends for customer.subscription.deleted: canceled, ended now, the period still running.
        Snapshot deleted = new Snapshot("polar", "sub_1", ada.orgId(), "cus_1", null, "canceled", "pro", null, T0,
                T0.plus(Duration.ofDays(30)), false, T0.plusSeconds(60), T0.plusSeconds(60), T0.plusSeconds(60));
        f.clock.set(T0.plusSeconds(60));

        String outcome = apply(deleted);

        assertThat(outcome).contains("is now on free").contains("pro canceled").doesNotContain("now on pro");
        assertThat(now().plan().name()).isEqualTo("free");
    }

    @Test
    void cancelAtPeriodEndKeepsAccessUntilThePeriodEnds() {
        apply(snapshot(ada.orgId(), "active", true, T0, T0.plusSeconds(60)));
        f.clock.set(T0.plus(Duration.ofDays(30)).minusSeconds(1));
        assertThat(now().plan().name()).isEqualTo("pro");
        assertThat(now().state()).isEqualTo("canceled");
        assertThat(now().message()).isEqualTo("Your Pro plan ends on 26 Dec 2026; renew at https://ccp.test/pricing.");
        f.clock.set(T0.plus(Duration.ofDays(30)));
        assertThat(now().plan().name()).isEqualTo("free");
    }

    @Test
    void revokedAndRefundedEndAccessAtOnce() {
        apply(snapshot(ada.orgId(), "active", false, T0, T0));
        apply(snapshot(ada.orgId(), "revoked", false, T0, T0.plusSeconds(1)));
        assertThat(now().plan().name()).isEqualTo("free");
        apply(snapshot(ada.orgId(), "active", false, T0, T0.plusSeconds(2)));
        apply(snapshot(ada.orgId(), "refunded", false, T0, T0.plusSeconds(3)));
        assertThat(now().plan().name()).isEqualTo("free");
    }

    @Test
    void anOlderSnapshotNeverOverwritesANewerOne() {
        apply(snapshot(ada.orgId(), "revoked", false, T0, T0.plusSeconds(10)));
        assertThat(apply(snapshot(ada.orgId(), "active", false, T0, T0.plusSeconds(5)))).startsWith("ignored: older");
        assertThat(now().plan().name()).isEqualTo("free");
    }

    @Test
    void aSnapshotForNoKnownOrgChangesNothing() {
        assertThat(apply(snapshot(null, "active", false, T0, T0))).startsWith("ignored: names no org");
        assertThat(apply(snapshot("org_unknown", "active", false, T0, T0))).startsWith("ignored: names no org");
        assertThat(now().plan().name()).isEqualTo("free");
    }

    @Test
    void aRepeatedDeliveryIsProcessedOnce() {
        Delivery first = new Delivery("evt_1", "subscription.active", snapshot(ada.orgId(), "active", false, T0, T0), null);
        assertThat(receive(first)).startsWith("applied");
        assertThat(receive(first)).startsWith("duplicate");
    }

    @Test
    void theBuyerGetsASeatThatWaitsForTheirFirstLogin() {
        Snapshot team = new Snapshot("polar", "sub_t", ada.orgId(), "cus_1", "octocat", "active", "team", null, T0,
                T0.plus(Duration.ofDays(30)), false, null, T0, T0);
        apply(team);
        Principal octocat = f.signIn("octocat", f.slugOf(ada));
        String seat = f.tx.call(em -> Accounts.membership(em, ada.orgId(), octocat.userId()).orElseThrow().seat());
        assertThat(seat).as("claimed at the first login with that handle").isNotNull();
    }

    @Test
    void noSeatIsGivenWhenThePlanHasNoneLeft() {
        apply(new Snapshot("polar", "sub_p", ada.orgId(), "cus_1", "bob@example.com", "active", "pro", null, T0,
                T0.plus(Duration.ofDays(30)), false, null, T0, T0));
        long members = f.tx.call(em -> (long) Accounts.members(em, ada.orgId()).size());
        assertThat(members).as("the one Pro seat is ada's").isEqualTo(1);
    }

    @Test
    void everyChangeIsRecordedWithItsCause() {
        receive(new Delivery("evt_9", "subscription.active", snapshot(ada.orgId(), "active", false, T0, T0), null));
        String cause = f.tx.call(em -> em.createQuery("select e.cause from LicenseEvent e where e.orgId = :o", String.class)
                .setParameter("o", ada.orgId()).getSingleResult());
        assertThat(cause).isEqualTo("polar event evt_9 (active)");
    }
}
