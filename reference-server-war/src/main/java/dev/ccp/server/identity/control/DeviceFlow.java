package dev.ccp.server.identity.control;

import dev.ccp.server.identity.entity.DeviceGrant;
import dev.ccp.server.platform.Ids;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.spi.wire.OAuthError;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The RFC 8628 device authorization grant: a device asks for codes, a person approves the user
 * code in a browser, the device polls for its tokens.
 */
public final class DeviceFlow {

    /** A started grant and its device code, which is only ever stored hashed. */
    public record Started(DeviceGrant grant, String deviceCode) {
    }

    /** What a poll found: the RFC 8628 §3.5 error to send, or the approved grant to exchange. */
    public record Poll(OAuthError error, DeviceGrant approved) {
        static Poll error(String code, String why) {
            return new Poll(new OAuthError(code, why), null);
        }
    }

    private final ServerConfig config;

    public DeviceFlow(ServerConfig config) {
        this.config = config;
    }

    public Started start(EntityManager em, String clientId, String scope, String requestedOrg, Instant now) {
        String userCode;
        do {
            userCode = UserCodes.generate(Ids.random());
        } while (pending(em, userCode, now).isPresent());
        String deviceCode = Ids.secret();
        DeviceGrant grant = new DeviceGrant(Ids.id("dev"), Ids.hash(deviceCode), userCode, clientId, scope, requestedOrg,
                config.devicePollInterval(), now, now.plus(config.deviceCodeTtl()));
        em.persist(grant);
        em.flush();
        return new Started(grant, deviceCode);
    }

    /** The pending, unexpired grant for what a person typed as a user code. */
    public Optional<DeviceGrant> pending(EntityManager em, String typed, Instant now) {
        return UserCodes.normalize(typed).flatMap(code -> em.createQuery(
                "select g from DeviceGrant g where g.userCode = :c and g.status = :s and g.expiresAt > :now", DeviceGrant.class)
                .setParameter("c", code).setParameter("s", DeviceGrant.Status.PENDING).setParameter("now", now)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst());
    }

    /**
     * One poll of the token endpoint. Polling faster than the interval answers {@code slow_down} and
     * adds 5 seconds to the interval, as RFC 8628 §3.5 asks of the client.
     */
    public Poll poll(EntityManager em, String deviceCode, String clientId, Instant now) {
        DeviceGrant grant = deviceCode == null ? null : em.createQuery(
                "select g from DeviceGrant g where g.deviceCodeHash = :h", DeviceGrant.class)
                .setParameter("h", Ids.hash(deviceCode)).setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst().orElse(null);
        if (grant == null || grant.status() == DeviceGrant.Status.USED) {
            return Poll.error(OAuthError.INVALID_GRANT, "device code is not known or was already exchanged");
        }
        if (!grant.clientId().equals(clientId)) {
            return Poll.error(OAuthError.INVALID_GRANT, "device code was issued to another client");
        }
        if (grant.expired(now)) {
            return Poll.error(OAuthError.EXPIRED_TOKEN, "the code expired before it was approved; start the login again");
        }
        Instant last = grant.lastPolledAt();
        grant.polled(now);
        // Half a second of slack: the client measures its wait from the previous answer, not the request.
        if (last != null && Duration.between(last, now).toMillis() < grant.intervalSeconds() * 1000L - 500) {
            grant.slowDown();
            return Poll.error(OAuthError.SLOW_DOWN, "polling too fast; wait " + grant.intervalSeconds() + " seconds between polls");
        }
        return switch (grant.status()) {
            case PENDING -> Poll.error(OAuthError.AUTHORIZATION_PENDING, "waiting for the person to approve the code");
            case DENIED -> Poll.error(OAuthError.ACCESS_DENIED, "the person denied the login");
            case APPROVED -> {
                grant.used();
                yield new Poll(null, grant);
            }
            case USED -> throw new IllegalStateException("unreachable");
        };
    }
}
