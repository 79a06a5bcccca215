package dev.ccp.sdk.internal;

import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.CcpException.Kind;
import dev.ccp.spi.store.CredentialStore;
import dev.ccp.spi.store.Credentials;
import dev.ccp.spi.wire.OAuthError;
import dev.ccp.spi.wire.TokenResponse;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The one place that decides when the access token is renewed, and renews it. Refresh tokens are
 * single-use and a reused one revokes the whole family, so two renewals must never race: threads of
 * this JVM take a monitor per home, other processes on the same home a file lock, and whoever comes
 * second finds the already-rotated tokens in the store and uses them.
 */
final class Tokens {

    /** Renew this long before expiry, so that a token never dies in flight. */
    static final Duration MARGIN = Duration.ofSeconds(60);

    private static final ConcurrentMap<Path, Object> MONITORS = new ConcurrentHashMap<>();

    private final CredentialStore store;
    private final Path lockFile;
    private final Clock clock;

    Tokens(CredentialStore store, Path lockFile, Clock clock) {
        this.store = store;
        this.lockFile = lockFile.toAbsolutePath().normalize();
        this.clock = clock;
    }

    /** @throws CcpException {@link Kind#IO} when the store cannot be read or names no valid server */
    Optional<Credentials> load() {
        Optional<Credentials> loaded;
        try {
            loaded = store.load();
        } catch (IOException e) {
            throw new CcpException(Kind.IO, "cannot read the credentials: " + e.getMessage(), null, e);
        }
        try {
            // The file store checks this already; a store of the host's own may not.
            loaded.ifPresent(c -> ServerUrl.parse(c.server()));
        } catch (IllegalArgumentException e) {
            throw new CcpException(Kind.IO, "the stored credentials are damaged: " + e.getMessage(), null, e);
        }
        return loaded;
    }

    void save(Credentials credentials) {
        try {
            store.save(credentials);
        } catch (IOException e) {
            throw new CcpException(Kind.IO, "cannot save the credentials: " + e.getMessage(), null, e);
        }
    }

    void delete() {
        try {
            store.delete();
        } catch (IOException e) {
            throw new CcpException(Kind.IO, "cannot delete the credentials: " + e.getMessage(), null, e);
        }
    }

    /** A fresh access token for the given session, renewed first when it is about to expire. */
    String access(Api api, Credentials session) {
        return fresh(session) ? session.accessToken() : renew(api, session.server(), session.accessToken());
    }

    /**
     * Renews the tokens of {@code server} unless someone else already replaced {@code stale} with a
     * fresh one. Also used after the server refused {@code stale} (401) before its expiry.
     *
     * @throws CcpException {@link Kind#NOT_LOGGED_IN} when the store now holds another server's session
     *     (another process logged in elsewhere meanwhile): its tokens must never reach this server
     */
    @SuppressWarnings("try") // the lock is held for the block's length, not referenced in it
    String renew(Api api, String server, String stale) {
        synchronized (MONITORS.computeIfAbsent(lockFile, k -> new Object())) {
            try (FileChannel channel = openLock(); FileLock lock = channel.lock()) {
                Credentials current = load().orElseThrow(() -> new CcpException(Kind.NOT_LOGGED_IN, "not logged in"));
                if (!Engine.trim(current.server()).equals(Engine.trim(server))) {
                    throw new CcpException(Kind.NOT_LOGGED_IN, "not logged in to " + Engine.trim(server)
                            + " any more (the session is now for " + current.server() + ")");
                }
                if (!current.accessToken().equals(stale) && fresh(current)) {
                    return current.accessToken();
                }
                return rotate(api, current).accessToken();
            } catch (IOException e) {
                throw new CcpException(Kind.IO, "cannot lock " + lockFile.getFileName() + ": " + e.getMessage(), null, e);
            }
        }
    }

    private Credentials rotate(Api api, Credentials current) {
        if (current.refreshToken() == null) {
            throw new CcpException(Kind.UNAUTHORIZED, "the session has expired");
        }
        Api.TokenAnswer answer = api.refresh(current.refreshToken());
        if (answer.error() != null) {
            OAuthError error = answer.error();
            Kind kind = OAuthError.INVALID_GRANT.equals(error.error()) ? Kind.UNAUTHORIZED : Kind.BAD_REQUEST;
            throw new CcpException(kind, kind == Kind.UNAUTHORIZED
                    ? "the session was revoked or has expired" : "the server refused to renew the session: " + Api.describe(error));
        }
        TokenResponse tokens = answer.tokens();
        Credentials renewed = new Credentials(current.server(), tokens.accessToken(),
                clock.instant().plusSeconds(tokens.expiresIn()),
                // Rotation gives a new refresh token; a server that does not rotate leaves the old one valid.
                tokens.refreshToken() != null ? tokens.refreshToken() : current.refreshToken(),
                current.login(), current.org());
        save(renewed);
        return renewed;
    }

    private boolean fresh(Credentials credentials) {
        return credentials.accessExpiresAt().isAfter(clock.instant().plus(MARGIN));
    }

    private FileChannel openLock() throws IOException {
        AtomicFiles.createPrivateDirectories(lockFile.getParent());
        return FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }
}
