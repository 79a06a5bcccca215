package dev.ccp.sdk.internal;

import dev.ccp.sdk.CcpException.Kind;
import java.time.Duration;
import java.time.Instant;

/**
 * Decides when automatic pack renewal may try the network again after a failure, so that a host
 * checking its license often does not wait on a dead network each time: one minute, doubling up to
 * an hour; an hour at once when retrying cannot help until someone acts (session ended, no seat).
 */
final class RenewalThrottle {

    static final Duration FIRST = Duration.ofMinutes(1);
    static final Duration MAX = Duration.ofHours(1);

    private Instant notBefore = Instant.MIN;
    private Duration next = FIRST;

    synchronized boolean mayTry(Instant now) {
        return !now.isBefore(notBefore);
    }

    synchronized void succeeded() {
        notBefore = Instant.MIN;
        next = FIRST;
    }

    synchronized void failed(Instant now, Kind kind) {
        Duration pause = switch (kind) {
            case UNAUTHORIZED, FORBIDDEN, NOT_FOUND, NOT_LOGGED_IN, KEY_CHANGED, PAYMENT_REQUIRED -> MAX;
            default -> next;
        };
        notBefore = now.plus(pause);
        next = next.multipliedBy(2).compareTo(MAX) > 0 ? MAX : next.multipliedBy(2);
    }
}
