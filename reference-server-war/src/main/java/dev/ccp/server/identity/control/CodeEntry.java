package dev.ccp.server.identity.control;

import dev.ccp.server.identity.entity.DeviceGrant;
import dev.ccp.server.platform.ratelimit.RateLimiter;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;

/**
 * A person entering a user code on the verification page, with RFC 8628 §5.1's limits on guessing,
 * counted in the database so every node shares them: 10 wrong codes per client address in 15
 * minutes, and a budget of wrong codes per minute for the whole page, so a guesser spread over many
 * addresses gets no further, while a person who mistyped waits at most a minute. While a budget is
 * spent, codes are refused before they are looked at: a guesser learns nothing.
 */
public final class CodeEntry {

    static final int PER_ADDRESS = 10;
    static final Duration ADDRESS_WINDOW = Duration.ofMinutes(15);
    static final String EVERYONE = "device-guess:*";
    static final Duration EVERYONE_WINDOW = Duration.ofMinutes(1);

    /**
     * What entering a code came to: the pending grant, or why not, in words for the page, and when a
     * limited person may try again.
     */
    public record Result(DeviceGrant grant, int status, String refusal, Duration retryAfter) {
        static Result refused(int status, String why) {
            return new Result(null, status, why, null);
        }

        static Result limited(String why, Duration retryAfter) {
            return new Result(null, 429, why, retryAfter);
        }
    }

    private final DeviceFlow flow;
    private final RateLimiter limiter;
    private final int perMinute;

    public CodeEntry(DeviceFlow flow, RateLimiter limiter, int wrongCodesPerMinute) {
        this.flow = flow;
        this.limiter = limiter;
        this.perMinute = wrongCodesPerMinute;
    }

    public Result enter(EntityManager em, String typed, String clientAddress, Instant now) {
        String address = "device-guess:" + clientAddress;
        if (limiter.exhausted(em, address, PER_ADDRESS, ADDRESS_WINDOW)) {
            Duration wait = limiter.untilNextWindow(ADDRESS_WINDOW);
            return Result.limited("Too many wrong codes. Try again in " + Math.max(1, wait.toMinutes()) + " minutes.", wait);
        }
        if (limiter.hits(em, EVERYONE, EVERYONE_WINDOW) >= perMinute) {
            Duration wait = limiter.untilNextWindow(EVERYONE_WINDOW);
            return Result.limited("Too many wrong codes were entered on this server just now. Try again in "
                    + Math.max(1, wait.toSeconds()) + " seconds.", wait);
        }
        DeviceGrant grant = flow.pending(em, typed, now).orElse(null);
        if (grant == null) {
            limiter.hit(em, address, ADDRESS_WINDOW);
            limiter.hit(em, EVERYONE, EVERYONE_WINDOW);
            return Result.refused(400, "That code is not valid or has expired. Check the code shown in your terminal.");
        }
        return new Result(grant, 200, null, null);
    }
}
