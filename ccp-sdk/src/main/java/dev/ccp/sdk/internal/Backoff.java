package dev.ccp.sdk.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Decides whether and how long to wait before sending a batch again, after the OTLP guidance: retry
 * 429, 502, 503, 504 (any 5xx) and no answer at all; stop on any other status, since sending the same
 * thing again cannot help. Waits are exponential with full jitter (1 s doubling to 60 s, a random
 * share of it) so that many clients cut off together do not come back together; a {@code Retry-After}
 * from the server is honoured as given. Six attempts in all.
 */
final class Backoff {

    static final Duration BASE = Duration.ofSeconds(1);
    static final Duration CAP = Duration.ofSeconds(60);
    static final int MAX_ATTEMPTS = 6;
    /** A server asking for a longer pause is asked again on the next run rather than waited for. */
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);
    /** The status that stands for no answer: connection refused, reset, timed out. */
    static final int NO_ANSWER = 0;

    private final RandomGenerator random;

    Backoff(RandomGenerator random) {
        this.random = random;
    }

    static boolean retryable(int status) {
        return status == NO_ANSWER || status == 429 || status >= 500;
    }

    /**
     * The wait before the next attempt, or empty to give up.
     *
     * @param failedAttempts attempts made so far, all failed (from 1)
     * @param retryAfter the answer's {@code Retry-After} header, or null
     */
    Optional<Duration> next(int failedAttempts, int status, String retryAfter, Instant now) {
        if (!retryable(status) || failedAttempts >= MAX_ATTEMPTS) {
            return Optional.empty();
        }
        Optional<Duration> asked = retryAfter(retryAfter, now);
        if (asked.isPresent()) {
            return asked.get().compareTo(MAX_RETRY_AFTER) > 0 ? Optional.empty() : asked;
        }
        long ceiling = Math.min(CAP.toMillis(), BASE.toMillis() << Math.min(failedAttempts - 1, 20));
        return Optional.of(Duration.ofMillis(random.nextLong(ceiling + 1)));
    }

    /** RFC 9110 §10.2.3: delay seconds or an HTTP-date; anything else is ignored. */
    static Optional<Duration> retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
            } catch (NumberFormatException e) {
                return Optional.of(MAX_RETRY_AFTER.plusSeconds(1));
            }
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
