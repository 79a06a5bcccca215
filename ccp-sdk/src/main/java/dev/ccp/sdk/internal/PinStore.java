package dev.ccp.sdk.internal;

import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.CcpException.Kind;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.wire.JsonValues;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code pins.json}: the license and policy keys of each self-hosted server, taken at the first login, the way
 * SSH's {@code known_hosts} keeps host keys. Keyed by origin so that one home can hold several servers.
 */
final class PinStore {

    private final Path file;

    PinStore(Path file) {
        this.file = file;
    }

    Optional<KeyRing> pinned(String server) {
        if (!(read().get(origin(server)) instanceof Map<?, ?> entry) || !entry.containsKey("jwks")) {
            return Optional.empty();
        }
        try {
            return Optional.of(KeyRing.fromJwks(entry.get("jwks")));
        } catch (IllegalArgumentException e) {
            throw new CcpException(Kind.IO, file.getFileName() + " is damaged: " + e.getMessage(), null, e);
        }
    }

    /**
     * Checks the server's current pack keys against the pins. A purpose the pins have no key for yet
     * (the policy keys of a server pinned before it signed policies) is taken on first use, as the
     * whole set was at the first login; a purpose that is pinned must match exactly.
     *
     * @return the fingerprints to pin (the caller {@link #pin}s them once the login succeeded), or an
     *     empty list when the keys are already pinned
     * @throws CcpException {@link Kind#KEY_CHANGED} when pinned keys differ and {@code repin} is false
     */
    List<String> check(String server, KeyRing current, boolean repin) {
        Optional<KeyRing> pinned = pinned(server);
        if (pinned.isPresent() && pinned.get().sameKeys(current)) {
            return List.of();
        }
        if (pinned.isPresent() && !repin) {
            for (String purpose : PackKeys.purposes(pinned.get())) {
                if (!pinned.get().forPurpose(purpose).sameKeys(current.forPurpose(purpose))) {
                    throw new CcpException(Kind.KEY_CHANGED, "the " + purpose + " keys of " + origin(server) + " changed: pinned "
                            + pinned.get().forPurpose(purpose).fingerprints() + ", the server now has "
                            + current.forPurpose(purpose).fingerprints());
                }
            }
            return current.filter(k -> pinned.get().find(k.kid()).isEmpty()).fingerprints();
        }
        return current.fingerprints();
    }

    void pin(String server, KeyRing keys, Instant now) {
        Map<String, Object> root = read();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("pinned_at", now.toString());
        try {
            entry.put("jwks", JsonValues.read(keys.toPublicJwks().getBytes(StandardCharsets.UTF_8)));
            root.put(origin(server), entry);
            AtomicFiles.write(file, JsonValues.write(root, true));
        } catch (IOException e) {
            throw new CcpException(Kind.IO, "cannot write " + file.getFileName() + ": " + e.getMessage(), null, e);
        }
    }

    private Map<String, Object> read() {
        byte[] bytes;
        try {
            bytes = AtomicFiles.readIfExists(file);
        } catch (IOException e) {
            throw new CcpException(Kind.IO, "cannot read " + file.getFileName() + ": " + e.getMessage(), null, e);
        }
        if (bytes == null) {
            return new LinkedHashMap<>();
        }
        try {
            return JsonValues.readObject(bytes);
        } catch (IOException e) {
            throw new CcpException(Kind.IO, file.getFileName() + " is damaged: " + e.getMessage(), null, e);
        }
    }

    /** {@code scheme://host[:port]}, so that a base path or a trailing slash does not split one server in two. */
    static String origin(String server) {
        URI uri = ServerUrl.parse(server);
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }
}
