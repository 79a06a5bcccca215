package dev.ccp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ccp.sdk.internal.FileCredentialStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a login leaves under home. */
class FilesTest extends ClientFixture {

    @Test
    void credentialsAndPackAreOwnerOnly() throws Exception {
        assumeTrue(home.getFileSystem().supportedFileAttributeViews().contains("posix"));

        login(client());

        for (String name : new String[] {"credentials.json", "license.jws", "pins.json", "state.json"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(name))))
                    .as(name).isEqualTo("rw-------");
        }
    }

    @Test
    void loginLeavesNoTempFiles() throws Exception {
        login(client());
        login(client());

        try (Stream<Path> files = Files.list(home)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("credentials.json", "license.jws", "pins.json", "state.json");
        }
    }

    @Test
    void credentialsFileHoldsTheSessionButToStringHidesTokens() throws Exception {
        login(client());

        assertThat(Files.readString(home.resolve("credentials.json"))).contains("\"refresh_token\" : \"rt-1\"");
        assertThat(new FileCredentialStore(home.resolve("credentials.json")).load())
                .hasValueSatisfying(c -> assertThat(c.toString()).doesNotContain("rt-1", "at-1"));
    }
}
