package dev.ccp.server.billing.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.net.Webhook;
import dev.ccp.server.license.control.Plans;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StripeEventsTest {

    static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    static final String SECRET = "whsec_stripe_unit";
    final StripeEvents stripe = new StripeEvents(SECRET,
            ProviderPlans.parse("CCP_STRIPE_PRICES", Optional.of("price_pro=pro"), Plans.load(Optional.empty())),
            new ProviderApi("Stripe", "http://127.0.0.1:9", null), Clock.fixed(NOW, ZoneOffset.UTC));

    static String header(String body, Instant at) throws Exception {
        return "t=" + at.getEpochSecond() + ",v1=" + Webhook.Util.computeHmacSha256(SECRET, at.getEpochSecond() + "." + body);
    }

    @Test
    void verifiesWithinFiveMinutesOfTheInjectedClock() throws Exception {
        String body = "{\"id\":\"evt_1\"}";
        stripe.verify(body, header(body, NOW.minusSeconds(299)));
        assertThatThrownBy(() -> stripe.verify(body, header(body, NOW.minusSeconds(301)))).isInstanceOf(StripeEvents.Unverified.class);
        assertThatThrownBy(() -> stripe.verify(body + " ", header(body, NOW))).isInstanceOf(StripeEvents.Unverified.class);
        assertThatThrownBy(() -> stripe.verify(body, null)).isInstanceOf(StripeEvents.Unverified.class);
    }

    @Test
    void refusesADeliverySignedMoreThanFiveMinutesAhead() throws Exception {
        String body = "{\"id\":\"evt_1\"}";
        stripe.verify(body, header(body, NOW.plusSeconds(299)));
        assertThatThrownBy(() -> stripe.verify(body, header(body, NOW.plusSeconds(400))))
                .isInstanceOf(StripeEvents.Unverified.class).hasMessageContaining("in the future");
    }

    @Test
    void anyV1SignatureMayMatchWhileASecretIsRolledAndOtherSchemesAreIgnored() throws Exception {
        String body = "{\"id\":\"evt_1\"}";
        String signed = header(body, NOW);
        String v1 = signed.substring(signed.indexOf(",v1=") + 4);
        stripe.verify(body, "t=" + NOW.getEpochSecond() + ",v1=" + "0".repeat(64) + ",v1=" + v1);
        stripe.verify(body, "t=" + NOW.getEpochSecond() + ",v0=" + "0".repeat(64) + ",v1=" + v1);
        assertThatThrownBy(() -> stripe.verify(body, "t=" + NOW.getEpochSecond() + ",v0=" + v1))
                .isInstanceOf(StripeEvents.Unverified.class).hasMessageContaining("no v1");
        assertThatThrownBy(() -> stripe.verify(body, "t=" + NOW.getEpochSecond() + ",v1=" + v1.toUpperCase(java.util.Locale.ROOT)))
                .isInstanceOf(StripeEvents.Unverified.class);
    }

    @Test
    void aHeaderThatCannotBeReadIsRefusedNotAnError() {
        for (String header : new String[] {"t=abc,v1=00", "v1=00", "t=", "t=1,t=2", "garbage", "t=" + NOW.getEpochSecond() + ",v1"}) {
            assertThatThrownBy(() -> stripe.verify("{}", header)).as(header).isInstanceOf(StripeEvents.Unverified.class);
        }
    }

    @Test
    void readsThePeriodFromTheItemsAndADeletionAsTheEnd() throws Exception {
        long start = NOW.minusSeconds(86_400).getEpochSecond();
        String sub = "{\"id\":\"sub_1\",\"status\":\"canceled\",\"customer\":\"cus_1\",\"cancel_at_period_end\":false,\"ended_at\":"
                + NOW.getEpochSecond() + ",\"current_period_end\":1,\"metadata\":{\"ccp_org\":\"org_1\"},\"items\":{\"data\":[{\"quantity\":3,"
                + "\"price\":{\"id\":\"price_pro\"},\"current_period_start\":" + start + ",\"current_period_end\":" + (start + 2_592_000) + "}]}}";
        Delivery d = stripe.read("{\"id\":\"evt_1\",\"type\":\"customer.subscription.deleted\",\"created\":" + NOW.getEpochSecond()
                + ",\"data\":{\"object\":" + sub + "}}");
        Snapshot s = d.snapshot();
        assertThat(s.periodEnd()).as("the item's period, not the old top-level field").isEqualTo(Instant.ofEpochSecond(start + 2_592_000));
        assertThat(s.seats()).isEqualTo(3);
        assertThat(s.plan()).isEqualTo("pro");
        assertThat(s.modifiedAt()).isNull();
        assertThat(s.version()).isEqualTo(NOW);
        assertThat(Term.of(s, "free", 7).expiresAt()).as("access ends when the subscription ended").isEqualTo(NOW);
    }

    @Test
    void eventsThatOnlyNameASubscriptionAreNotedWithoutAnApiKey() throws Exception {
        Delivery d = stripe.read("{\"id\":\"evt_2\",\"type\":\"invoice.payment_failed\",\"created\":" + NOW.getEpochSecond()
                + ",\"data\":{\"object\":{\"id\":\"in_1\",\"subscription\":\"sub_1\"}}}");
        assertThat(d.snapshot()).isNull();
        assertThat(d.note()).contains("no CCP_STRIPE_KEY").contains("sub_1");
    }
}
