package dev.ccp.sdk.internal;

import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.CcpException.Kind;
import dev.ccp.sdk.License;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.license.LicenseClaims;
import dev.ccp.spi.license.LicenseStatus;
import dev.ccp.spi.license.Verification;
import dev.ccp.spi.store.Credentials;
import dev.ccp.spi.wire.LicenseStatusResponse;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The license pack: offline verification, explicit refresh, and the automatic renewal that never
 * throws into the host (it logs, backs off and keeps the last verified pack).
 */
public final class Licenses {

    private static final Log LOG = Log.of(Licenses.class);
    static final String NO_SEAT = "no-seat";

    private final Engine engine;
    private final RenewalThrottle throttle = new RenewalThrottle();

    Licenses(Engine engine) {
        this.engine = engine;
    }

    /** Offline: the stored pack against the built-in or pinned keys. Never throws. */
    public License offline() {
        try {
            String server = engine.server().map(Object::toString).orElse(null);
            return engine.pack.verifyStored(engine.trusted(server));
        } catch (CcpException e) {
            // Damaged credentials or pins: the pack cannot be trusted, but the host must not crash on it.
            return License.missing(e.getMessage());
        } catch (RuntimeException e) {
            // Whatever else a hand-edited file or a host's own credential store holds, this never throws.
            return License.missing("cannot check the license pack: " + e);
        }
    }

    /** Offline first; renews from the server when the pack asks for it or no longer grants. Never throws. */
    public License current() {
        License local = offline();
        Instant now = engine.config.clock().instant();
        if (!due(local, now) || !throttle.mayTry(now)) {
            return local;
        }
        try {
            if (engine.account().isEmpty()) {
                return local;
            }
            License fresh = refresh();
            if (fresh.granted()) {
                throttle.succeeded();
            } else {
                // Asking again at once would get the same pack: wait as after a failure.
                throttle.failed(now, Kind.LICENSE_INVALID);
                LOG.log(Level.INFO, "the server's fresh license pack does not grant (" + fresh.status() + "): " + fresh.detail());
            }
            return fresh;
        } catch (CcpException e) {
            throttle.failed(now, e.kind());
            LOG.log(Level.INFO, "license renewal failed (" + e.kind() + "), keeping the stored pack: " + e.getMessage());
            return local;
        } catch (RuntimeException e) {
            throttle.failed(now, Kind.SERVER_ERROR);
            LOG.log(Level.WARNING, "license renewal failed unexpectedly, keeping the stored pack", e);
            return local;
        }
    }

    /**
     * Fetches a fresh pack and stores it once it verifies.
     *
     * @throws CcpException when not logged in, the server refuses or cannot be reached, or the pack
     *     does not verify; a refused seat ({@code no-seat}) also deletes the stored pack
     */
    public License refresh() {
        Credentials session = engine.session();
        KeyRing trusted = engine.trusted(session.server());
        String compact;
        try {
            compact = engine.authorized(Api::licensePack);
        } catch (CcpException e) {
            if (isNoSeat(e)) {
                // Online, the server's word wins: a seat taken away must not live on until the pack expires.
                engine.pack.delete();
            }
            throw e;
        }
        Verification verification = engine.pack.fetched(compact, trusted);
        if (verification.status() == LicenseStatus.UNKNOWN_KEY && engine.config.builtinKeys() == null) {
            // Name the real cause when the server now signs with keys other than the pinned ones.
            engine.pins.check(session.server(), engine.api(session.server()).packKeys(), false);
        }
        LicenseKeeper.requireTrusted(verification);
        engine.pack.store(compact);
        return License.of(verification);
    }

    /**
     * The server's view; when it differs from the stored pack, the pack is fetched again. When the
     * server says the person holds no seat, the stored pack is deleted: there is nothing to fetch.
     */
    public LicenseStatusResponse serverStatus() {
        LicenseStatusResponse status = engine.licenseStatus();
        if (status.seat() == null) {
            engine.pack.delete();
        } else if (differs(status, offline())) {
            refresh();
        }
        return status;
    }

    static boolean isNoSeat(CcpException e) {
        return e.kind() == Kind.FORBIDDEN && e.problem().map(p -> NO_SEAT.equals(p.slug())).orElse(false);
    }

    private static boolean due(License license, Instant now) {
        return !license.granted() || license.refreshAfter().map(at -> !now.isBefore(at)).orElse(true);
    }

    private static boolean differs(LicenseStatusResponse server, License local) {
        LicenseClaims claims = local.claims();
        if (!local.granted() || claims == null) {
            return true;
        }
        return !Objects.equals(server.plan(), claims.plan())
                || !Objects.equals(server.org(), claims.org())
                || server.seat() != null && !server.seat().equals(claims.seat())
                || server.state() != null && !server.state().equals(claims.state())
                || server.entitlements() != null && !text(server.entitlements()).equals(text(claims.entitlements()));
    }

    /** Entitlements compared as text, since JSON numbers may come back as another Java type. */
    private static Map<String, String> text(Map<String, Object> entitlements) {
        Map<String, String> out = new TreeMap<>();
        entitlements.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }
}
