package dev.ccp.server.billing.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.testing.Fixture;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Any order of the same deliveries, with duplicates, ends in the license of the newest snapshot;
 * deliveries that were dropped are repaired by one reconciliation (the provider's current state).
 * For both providers' status vocabularies.
 */
class SnapshotOrderPropertyTest {

    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    static final List<String> POLAR = List.of("active", "trialing", "past_due", "canceled", "revoked", "refunded", "incomplete");
    static final List<String> STRIPE = List.of("active", "trialing", "past_due", "canceled", "unpaid", "incomplete",
            "incomplete_expired", "paused");

    static Fixture f;
    static Billing billing;

    @BeforeContainer
    static void open() throws Exception {
        f = new Fixture(Files.createTempDirectory("ccp-keys"));
        billing = f.controls.billing;
    }

    @AfterContainer
    static void close() {
        f.close();
    }

    /** One subscription's history as its provider lived it: each change a second apart. */
    record History(String provider, List<Snapshot> snapshots) {
    }

    @Provide
    Arbitrary<History> histories() {
        return Arbitraries.of("polar", "stripe").flatMap(provider -> {
            Arbitrary<Snapshot> change = Combinators.combine(
                    Arbitraries.of(provider.equals("polar") ? POLAR : STRIPE),
                    Arbitraries.of(true, false),
                    Arbitraries.of("pro", "team"),
                    Arbitraries.integers().between(-40, 40)).as((status, cancel, plan, days) -> new Snapshot(provider, "sub", null, "cus",
                            null, status, plan, null, T0.plus(Duration.ofDays(days)), T0.plus(Duration.ofDays(days + 30L)), cancel, null,
                            null, T0));
            return change.list().ofMinSize(1).ofMaxSize(8).map(list -> {
                List<Snapshot> timed = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    Snapshot s = list.get(i);
                    // Polar orders by modified_at; Stripe has none and orders by the event's creation time.
                    Instant at = T0.plusSeconds(i);
                    timed.add(new Snapshot(provider, s.subscriptionId(), null, s.customerId(), null, s.status(), s.plan(), null,
                            s.periodStart(), s.periodEnd(), s.cancelAtPeriodEnd(), null, provider.equals("polar") ? at : null, at));
                }
                return new History(provider, timed);
            });
        });
    }

    @Property(tries = 150)
    void anyOrderWithDuplicatesAndDropsEndsInTheNewestSnapshotsLicense(@ForAll("histories") History history, @ForAll long seed) {
        Principal owner = f.signIn("p" + Math.abs(seed) + "-" + System.nanoTime() + "@example.com");
        Random random = new Random(seed);
        List<Integer> deliveries = new ArrayList<>();
        for (int i = 0; i < history.snapshots().size(); i++) {
            int copies = random.nextInt(4); // 0 drops it, 2 or 3 deliver it again
            for (int c = 0; c < copies; c++) {
                deliveries.add(i);
            }
        }
        Collections.shuffle(deliveries, random);
        String sub = "sub_" + owner.orgId();
        for (int i : deliveries) {
            Snapshot s = history.snapshots().get(i);
            Delivery d = new Delivery("evt_" + sub + "_" + i, "subscription.updated", forSub(s, sub, owner.orgId()), null);
            f.tx.call(em -> billing.receive(em, history.provider(), d, T0));
        }
        int last = history.snapshots().size() - 1;
        Snapshot newest = forSub(history.snapshots().get(last), sub, owner.orgId());
        if (deliveries.contains(last)) {
            assertLicenseOf(newest, owner);
        }
        // Reconciliation: the provider's current state is its newest snapshot.
        f.tx.call(em -> billing.apply(em, newest, "reconciliation", T0));
        assertLicenseOf(newest, owner);
    }

    private static void assertLicenseOf(Snapshot newest, Principal owner) {
        Term expected = Term.of(newest, "free", 7);
        Org org = f.tx.call(em -> em.find(Org.class, owner.orgId()));
        assertThat(org.plan()).isEqualTo(expected.plan());
        assertThat(org.planState()).isEqualTo(expected.state());
        assertThat(org.planExpiresAt()).isEqualTo(expected.expiresAt());
        assertThat(org.graceUntil()).isEqualTo(expected.graceUntil());
    }

    private static Snapshot forSub(Snapshot s, String sub, String org) {
        return new Snapshot(s.provider(), sub, org, s.customerId(), null, s.status(), s.plan(), null, s.periodStart(), s.periodEnd(),
                s.cancelAtPeriodEnd(), null, s.modifiedAt(), s.eventAt());
    }
}
