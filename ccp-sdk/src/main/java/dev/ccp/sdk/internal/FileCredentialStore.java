package dev.ccp.sdk.internal;

import com.fasterxml.jackson.core.JacksonException;
import dev.ccp.spi.store.CredentialStore;
import dev.ccp.spi.store.Credentials;
import dev.ccp.spi.wire.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The default {@link CredentialStore}: {@code credentials.json}, owner-only, written atomically. */
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
            Credentials credentials = Json.lenient().readValue(bytes, Credentials.class);
            // A hand-edited server would otherwise fail far from here, in code that must not throw.
            ServerUrl.parse(credentials.server());
            return Optional.of(credentials);
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            // A damaged file is a broken session, not a crash: the person logs in again.
            throw new IOException(file.getFileName() + " is damaged: " + e.getMessage(), e);
        }
    }

    @Override
    public void save(Credentials credentials) throws IOException {
        AtomicFiles.write(file, Json.lenient().writerWithDefaultPrettyPrinter().writeValueAsBytes(credentials));
    }

    @Override
    public void delete() throws IOException {
        Files.deleteIfExists(file);
    }
}
