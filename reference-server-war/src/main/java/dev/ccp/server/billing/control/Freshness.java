package dev.ccp.server.billing.control;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The replay window both providers' webhooks share: a delivery is taken only when its signed
 * timestamp is within five minutes of now, in either direction. The providers' libraries check only
 * the past (stripe-java), or only against the system clock (standardwebhooks); this check comes first,
 * against the server's clock.
 */
final class Freshness {

    static final Duration TOLERANCE = Duration.ofMinutes(5);

    private Freshness() {
    }

    /** Why a delivery signed at {@code epochSeconds} is refused at {@code now}; empty when it is fresh. */
    static Optional<String> refusal(String epochSeconds, Instant now) {
        long at;
        try {
            at = Long.parseLong(epochSeconds == null ? "" : epochSeconds.strip());
        } catch (NumberFormatException e) {
            return Optional.of("its timestamp is not a number of seconds");
        }
        long ahead = at - now.getEpochSecond();
        if (ahead > TOLERANCE.toSeconds()) {
            return Optional.of("its timestamp is " + ahead + " s in the future");
        }
        if (-ahead > TOLERANCE.toSeconds()) {
            return Optional.of("its timestamp is " + -ahead + " s old");
        }
        return Optional.empty();
    }
}
