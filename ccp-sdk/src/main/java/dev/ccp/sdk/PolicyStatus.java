package dev.ccp.sdk;

import java.time.Instant;

/**
 * Where a {@link PolicyClient} stands, as a value: background work reports here and never throws
 * into the host.
 *
 * @param channel     {@code dev} or {@code prod}
 * @param version     the active pack's version, or null when there is none
 * @param source      where the active pack came from, or null when there is none
 * @param fetchedAt   when the active pack was fetched from the server (for a bundled pack: when it was signed)
 * @param expiresAt   when the active pack expires unless the server signs it again
 * @param lastSuccess when the server last answered (a new pack or "still current")
 * @param lastError   the last failure, in words, or null when the last attempt succeeded
 * @param errorKind   the kind of the last failure, or null
 * @param state       the summary a host acts on
 */
public record PolicyStatus(
        String channel,
        Long version,
        Source source,
        Instant fetchedAt,
        Instant expiresAt,
        Instant lastSuccess,
        String lastError,
        CcpException.Kind errorKind,
        State state) {

    public enum Source { NETWORK, CACHE, BOOTSTRAP }

    public enum State {
        /** Nothing has been heard from the server yet; a cached or bundled pack may already be active. */
        INITIALIZING,
        /** The active pack is the one the server serves now. */
        CURRENT,
        /** A pack is active but could not be confirmed: offline, the server unreachable or refusing, or the pack expired. */
        STALE,
        /** No pack is active: none cached, none bundled, and none could be fetched. */
        FAILED
    }

    /** Whether a pack is active, current or not. */
    public boolean hasPolicy() {
        return version != null;
    }
}
