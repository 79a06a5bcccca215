package dev.ccp.spi.store;

import java.io.IOException;
import java.util.Optional;

/**
 * Where the SDK keeps credentials. The default keeps them in a 0600 file under the SDK's home,
 * written atomically; a host tool may put them in an OS keychain instead.
 */
public interface CredentialStore {

    Optional<Credentials> load() throws IOException;

    /** Replaces what is stored, atomically: a reader sees the old or the new credentials, never a mix. */
    void save(Credentials credentials) throws IOException;

    void delete() throws IOException;
}
