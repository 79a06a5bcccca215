package dev.ccp.sdk;

import dev.ccp.sdk.internal.Config;
import dev.ccp.sdk.internal.Engine;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.store.CredentialStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Builds a {@link CcpClient}. Each setting is checked when it is set, so a mistake points at the line
 * that made it; only {@link #home} is required.
 */
public final class CcpClientBuilder {

    /** The OAuth client id of the {@code ccp} command-line tool; host tools should set their own. */
    public static final String DEFAULT_CLIENT_ID = "ccp-cli";
    public static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(30);

    private URI server;
    private Path home;
    private Clock clock = Clock.systemUTC();
    private String clientId = DEFAULT_CLIENT_ID;
    private KeyRing trustedKeys;
    private CredentialStore credentialStore;
    private Duration httpTimeout = DEFAULT_HTTP_TIMEOUT;
    private Sleeper sleeper = Sleeper.system();

    CcpClientBuilder() {
    }

    /**
     * The server's base URL, such as {@code https://ccp.example.com}. Without it the client uses the
     * server named by the stored credentials, and {@link CcpClient#login} needs it.
     */
    public CcpClientBuilder server(URI server) {
        Objects.requireNonNull(server, "server");
        String scheme = server.getScheme() == null ? "" : server.getScheme().toLowerCase(Locale.ROOT);
        if (!server.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || server.getHost() == null) {
            throw new IllegalArgumentException("server must be an http(s) URL with a host: " + server);
        }
        if (server.getRawQuery() != null || server.getRawFragment() != null || server.getRawUserInfo() != null) {
            throw new IllegalArgumentException("server must not carry a query, fragment or user info: " + server);
        }
        this.server = server;
        return this;
    }

    /** The folder for credentials, the license pack, pins and state; created owner-only when missing. */
    public CcpClientBuilder home(Path home) {
        this.home = Objects.requireNonNull(home, "home");
        return this;
    }

    public CcpClientBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    public CcpClientBuilder clientId(String clientId) {
        if (clientId == null || clientId.isBlank() || clientId.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("clientId must be a non-blank token: " + clientId);
        }
        this.clientId = clientId;
        return this;
    }

    /**
     * License keys built into the host tool, as a JWKS; only the {@code license-…} keys are used.
     * With them nothing is pinned: packs must verify against exactly these keys.
     */
    public CcpClientBuilder trustedKeys(String jwksJson) {
        Objects.requireNonNull(jwksJson, "jwksJson");
        KeyRing keys = KeyRing.parseJwks(jwksJson).forPurpose("license");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("trustedKeys holds no Ed25519 key whose kid starts with license-");
        }
        this.trustedKeys = keys;
        return this;
    }

    /** Where to keep credentials instead of {@code credentials.json} under home (an OS keychain, say). */
    public CcpClientBuilder credentialStore(CredentialStore credentialStore) {
        this.credentialStore = Objects.requireNonNull(credentialStore, "credentialStore");
        return this;
    }

    /** How long to wait for the server to connect and to answer each request. */
    public CcpClientBuilder httpTimeout(Duration httpTimeout) {
        Objects.requireNonNull(httpTimeout, "httpTimeout");
        if (httpTimeout.isZero() || httpTimeout.isNegative()) {
            throw new IllegalArgumentException("httpTimeout must be positive: " + httpTimeout);
        }
        this.httpTimeout = httpTimeout;
        return this;
    }

    /** How to wait between device-login polls; tests pass one that advances a fake clock. */
    public CcpClientBuilder sleeper(Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        return this;
    }

    /** @throws IllegalStateException when {@link #home} was not set */
    public CcpClient build() {
        if (home == null) {
            throw new IllegalStateException("home is required");
        }
        return new CcpClient(new Engine(new Config(server, home, clock, clientId, trustedKeys,
                credentialStore, httpTimeout, sleeper)));
    }
}
