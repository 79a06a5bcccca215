package dev.ccp.sdk.internal;

import dev.ccp.sdk.Sleeper;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.store.CredentialStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The checked settings of a client.
 *
 * @param server the configured server, or null to use the one the credentials name
 * @param builtinKeys license keys built into the host tool, or null to pin the server's
 * @param store where credentials live, or null for {@code credentials.json} under home
 * @param usage where and how usage is recorded
 * @param policy bundled policy packs, offline mode, long-poll wait
 */
public record Config(
        URI server,
        Path home,
        Clock clock,
        String clientId,
        KeyRing builtinKeys,
        CredentialStore store,
        Duration httpTimeout,
        Sleeper sleeper,
        UsageSettings usage,
        PolicySettings policy) {

    static final String CREDENTIALS = "credentials.json";
    static final String LICENSE = "license.jws";
    static final String PINS = "pins.json";
    static final String STATE = "state.json";
    static final String AUDIT = "audit-checkpoints.json";
    static final String LOCK = "credentials.lock";
    static final String POLICY = "policy-channel.json";
}
