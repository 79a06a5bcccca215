package dev.ccp.sdk.internal;

import java.time.Duration;
import java.util.Map;

/**
 * The checked policy settings of a client.
 *
 * @param bootstrap signed packs bundled with the host tool, by channel, for a first start without network
 * @param offline   never ask the server: use the cache and the bundled packs only
 * @param longPoll  how long the server may hold a long poll
 */
public record PolicySettings(Map<String, String> bootstrap, boolean offline, Duration longPoll) {

    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(50);

    public PolicySettings {
        bootstrap = Map.copyOf(bootstrap);
    }
}
