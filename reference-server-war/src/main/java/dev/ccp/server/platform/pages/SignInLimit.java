package dev.ccp.server.platform.pages;

import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.http.Requests;
import dev.ccp.server.platform.ratelimit.RateLimiter;
import jakarta.persistence.EntityManager;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * The limit of the pages where people sign in or open invite links: {@code CCP_SIGNINS_PER_MINUTE}
 * per client address, counted in the database so that every node counts together. It keeps a client
 * from trying invite tokens or sign-ins at speed.
 */
public final class SignInLimit {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final RateLimiter limiter;
    private final ServerConfig config;

    public SignInLimit(RateLimiter limiter, ServerConfig config) {
        this.limiter = limiter;
        this.config = config;
    }

    /** Counts this request; when the address is over its limit, how long until it may try again. */
    public Optional<Duration> exceeded(EntityManager em, HttpServletRequest request) {
        if (limiter.hit(em, "signin:" + Requests.clientAddress(config, request), MINUTE) <= config.signInsPerMinute()) {
            return Optional.empty();
        }
        // Whole seconds, rounded up, as Retry-After says them: a wait of 300 ms is "1", never "0".
        long millis = limiter.untilNextWindow(MINUTE).toMillis();
        return Optional.of(Duration.ofSeconds(Math.max(1, (millis + 999) / 1000)));
    }
}
