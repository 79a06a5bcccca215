package dev.ccp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccp.sdk.internal.FileCredentialStore;
import dev.ccp.spi.license.LicenseStatus;
import dev.ccp.spi.wire.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A {@code credentials.json} whose server was edited by hand into something that is not a server URL. */
class DamagedCredentialsTest extends ClientFixture {

    private Path damage(String server) throws IOException {
        login(client());
        Path file = home.resolve("credentials.json");
        ObjectNode credentials = (ObjectNode) Json.lenient().readTree(file.toFile());
        Json.lenient().writeValue(file.toFile(), credentials.put("server", server));
        return file;
    }

    /** As {@code ccp} runs without --server or CCP_SERVER: the server comes from the credentials. */
    private CcpClient serverFromCredentials() {
        return CcpClient.builder().home(home).clock(clock).sleeper(sleeper).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ccp.example.com", "http://bad host", "ftp://ccp.example.com", ""})
    void theLicenseIsMissingWithTheReasonInsteadOfThrowing(String server) throws Exception {
        damage(server);
        CcpClient client = serverFromCredentials();

        License offline = client.license();
        clock.advance(Duration.ofDays(2));
        License current = client.currentLicense();

        assertThat(offline.status()).isEqualTo(LicenseStatus.MISSING);
        assertThat(offline.detail()).contains("credentials.json is damaged", "server");
        assertThat(current.status()).isEqualTo(LicenseStatus.MISSING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ccp.example.com", "http://bad host", "ftp://ccp.example.com", ""})
    void askingForTheCredentialsIsAnIoFailureNamingTheFile(String server) throws Exception {
        Path file = damage(server);

        assertThatThrownBy(() -> new FileCredentialStore(file).load())
                .isInstanceOf(IOException.class).hasMessageContaining("credentials.json is damaged");
        assertThatThrownBy(() -> serverFromCredentials().accessToken())
                .isInstanceOfSatisfying(CcpException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CcpException.Kind.IO);
                    assertThat(e.getMessage()).contains("credentials.json is damaged");
                });
        assertThatThrownBy(() -> serverFromCredentials().account()).isInstanceOf(CcpException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ccp.example.com", "http://bad host"})
    void logoutDeletesThemAndSaysNothingWasRevoked(String bad) throws Exception {
        Path file = damage(bad);

        LogoutResult result = serverFromCredentials().logout();

        assertThat(result.wasLoggedIn()).isTrue();
        assertThat(result.revoked()).isFalse();
        assertThat(result.detail()).contains("credentials.json is damaged");
        assertThat(file).doesNotExist();
        assertThat(home.resolve("license.jws")).doesNotExist();
        assertThat(serverFromCredentials().account()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ccp.example.com", "http://bad host"})
    void loggingInAgainRepairsThem(String bad) throws Exception {
        damage(bad);

        LoginResult result = login(client());

        assertThat(result.license().status()).isEqualTo(LicenseStatus.VALID);
        assertThat(serverFromCredentials().account()).hasValueSatisfying(a -> assertThat(a.server()).isEqualTo(server.uri()));
        assertThat(serverFromCredentials().license().status()).isEqualTo(LicenseStatus.VALID);
    }
}
