package dev.ccp.sdk.internal;

import dev.ccp.spi.store.CredentialStore;
import dev.ccp.spi.store.Credentials;
import dev.ccp.spi.wire.JsonValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The default {@link CredentialStore}: {@code credentials.json}, owner-only, written atomically.
 * Mapped by hand ({@link JsonValues}): it is read at every start of a tool.
 */
public final class FileCredentialStore implements CredentialStore {

    private final Path file;

    public FileCredentialStore(Path file) {
        this.file = file;
    }

    @Override
    public Optional<Credentials> load() throws IOException {
        byte[] bytes = AtomicFiles.readIfExists(file);
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            Map<String, Object> json = JsonValues.readObject(bytes);
            Credentials credentials = new Credentials(
                    JsonValues.requiredString(json, "server"),
                    JsonValues.requiredString(json, "access_token"),
                    JsonValues.instant(json, "access_expires_at"),
                    JsonValues.string(json, "refresh_token"),
                    JsonValues.string(json, "login"),
                    JsonValues.string(json, "org"));
            // A hand-edited server would otherwise fail far from here, in code that must not throw.
            ServerUrl.parse(credentials.server());
            return Optional.of(credentials);
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            // A damaged file is a broken session, not a crash: the person logs in again.
            throw new IOException(file.getFileName() + " is damaged: " + e.getMessage(), e);
        }
    }

    @Override
    public void save(Credentials credentials) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("server", credentials.server());
        json.put("access_token", credentials.accessToken());
        // Whole seconds, a little early rather than late, in the form read without the general ISO parser.
        json.put("access_expires_at", credentials.accessExpiresAt().truncatedTo(ChronoUnit.SECONDS).toString());
        json.put("refresh_token", credentials.refreshToken());
        json.put("login", credentials.login());
        json.put("org", credentials.org());
        json.values().removeIf(Objects::isNull);
        AtomicFiles.write(file, JsonValues.write(json, true));
    }

    @Override
    public void delete() throws IOException {
        Files.deleteIfExists(file);
    }
}
