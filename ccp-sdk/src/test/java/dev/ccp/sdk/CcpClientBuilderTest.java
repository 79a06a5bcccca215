package dev.ccp.sdk;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CcpClientBuilderTest {

    @Test
    void serverMustBeAnHttpUrlWithAHost() {
        assertThatThrownBy(() -> CcpClient.builder().server(URI.create("ftp://example.com")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CcpClient.builder().server(URI.create("example.com")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CcpClient.builder().server(URI.create("https://example.com/?x=1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void homeIsRequired() {
        assertThatThrownBy(() -> CcpClient.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("home");
    }

    @Test
    void trustedKeysMustHoldALicenseKey() {
        assertThatThrownBy(() -> CcpClient.builder().trustedKeys("{\"keys\":[]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("license-");
        assertThatThrownBy(() -> CcpClient.builder().trustedKeys("not json"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timeoutMustBePositiveAndClientIdAToken() {
        assertThatThrownBy(() -> CcpClient.builder().httpTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CcpClient.builder().clientId("two words")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CcpClient.builder().home((Path) null)).isInstanceOf(NullPointerException.class);
    }
}
