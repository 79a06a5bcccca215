package dev.ccp.server.billing.control;

import java.time.Duration;
import java.time.Instant;

/**
 * The license a subscription grants, derived from its newest snapshot alone: the plan, its seats,
 * when access ends (null while it renews), and the state members are told about. Time does the
 * rest: once {@code expiresAt} passes, the org is on the free plan (see the license service).
 *
 * @param state {@code active}, {@code trialing}, {@code past_due} (paid access until the grace
 *              end), {@code canceled} (paid access until the period ends), or the provider's
 *              ending status ({@code revoked}, {@code unpaid}, {@code refunded}, …) on the free plan
 */
public record Term(String plan, Integer seats, Instant expiresAt, String state, Instant graceUntil) {

    public static Term of(Snapshot s, String freePlan, int graceDays) {
        if (s.plan() == null || Snapshot.ENDED.contains(s.status())) {
            return new Term(freePlan, null, null, s.status(), null);
        }
        return switch (s.status()) {
            case "active", "trialing" -> s.cancelAtPeriodEnd() && end(s) != null
                    ? new Term(s.plan(), s.seats(), end(s), "canceled", null)
                    : new Term(s.plan(), s.seats(), null, s.status(), null);
            case "past_due" -> {
                Instant since = s.periodStart() != null ? s.periodStart() : s.version();
                Instant grace = since.plus(Duration.ofDays(graceDays));
                yield new Term(s.plan(), s.seats(), grace, "past_due", grace);
            }
            case "canceled" -> end(s) == null ? new Term(freePlan, null, null, "canceled", null)
                    : new Term(s.plan(), s.seats(), end(s), "canceled", null);
            // incomplete, or a status this server does not know: nothing paid for yet.
            default -> new Term(freePlan, null, null, s.status(), null);
        };
    }

    private static Instant end(Snapshot s) {
        return s.endsAt() != null ? s.endsAt() : s.periodEnd();
    }

    /** Whether this term still grants its plan at {@code now}. */
    public boolean grants(Instant now) {
        return expiresAt == null || now.isBefore(expiresAt);
    }
}
