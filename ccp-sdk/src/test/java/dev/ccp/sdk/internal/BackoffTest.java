package dev.ccp.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    static final Instant NOW = Instant.parse("2027-01-15T09:00:00Z");

    /** A generator that always draws the top of the range, to show the ceilings. */
    private final Backoff highest = new Backoff(new Random() {
        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    });

    @Test
    void waitCeilingsDoubleFromOneSecond() {
        assertThat(highest.next(1, 503, null, NOW)).contains(Duration.ofSeconds(1));
        assertThat(highest.next(2, 503, null, NOW)).contains(Duration.ofSeconds(2));
        assertThat(highest.next(3, 503, null, NOW)).contains(Duration.ofSeconds(4));
        assertThat(highest.next(4, 503, null, NOW)).contains(Duration.ofSeconds(8));
        assertThat(highest.next(5, 503, null, NOW)).contains(Duration.ofSeconds(16));
    }

    @Test
    void fullJitterDrawsAnywhereBetweenZeroAndTheCeiling() {
        Backoff jittered = new Backoff(new Random(7));
        for (int attempt = 1; attempt < Backoff.MAX_ATTEMPTS; attempt++) {
            Duration ceiling = Duration.ofSeconds(Math.min(60, 1L << (attempt - 1)));
            assertThat(jittered.next(attempt, 502, null, NOW).orElseThrow()).isBetween(Duration.ZERO, ceiling);
        }
    }

    @Test
    void givesUpAfterSixAttempts() {
        assertThat(highest.next(Backoff.MAX_ATTEMPTS - 1, 503, null, NOW)).isPresent();
        assertThat(highest.next(Backoff.MAX_ATTEMPTS, 503, null, NOW)).isEmpty();
    }

    @Test
    void retriesRateLimitsServerErrorsAndNoAnswerButNoOtherStatus() {
        for (int status : new int[] {Backoff.NO_ANSWER, 429, 500, 502, 503, 504}) {
            assertThat(highest.next(1, status, null, NOW)).as("status " + status).isPresent();
        }
        for (int status : new int[] {400, 401, 402, 403, 404, 409, 413, 422}) {
            assertThat(highest.next(1, status, null, NOW)).as("status " + status).isEmpty();
        }
    }

    @Test
    void retryAfterInSecondsIsHonouredAsGiven() {
        assertThat(highest.next(1, 429, "17", NOW)).contains(Duration.ofSeconds(17));
    }

    @Test
    void retryAfterAsAnHttpDateIsTheTimeUntilThen() {
        assertThat(highest.next(1, 503, "Fri, 15 Jan 2027 09:00:30 GMT", NOW)).contains(Duration.ofSeconds(30));
        assertThat(Backoff.retryAfter("Fri, 15 Jan 2027 08:00:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void anUnreadableRetryAfterFallsBackToTheBackoff() {
        assertThat(highest.next(2, 503, "soon", NOW)).contains(Duration.ofSeconds(2));
    }

    @Test
    void aRetryAfterBeyondTenMinutesIsLeftForTheNextRun() {
        assertThat(highest.next(1, 429, "3600", NOW)).isEmpty();
        assertThat(Backoff.retryAfter("99999999999999999999", NOW)).hasValueSatisfying(d -> assertThat(d).isGreaterThan(Backoff.MAX_RETRY_AFTER));
        assertThat(Backoff.retryAfter(null, NOW)).isEqualTo(Optional.empty());
    }
}
