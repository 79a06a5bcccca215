package dev.ccp.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceCodeTest {

    private static final URI SERVER = URI.create("https://ccp.example.com/base");

    private static DeviceCode code(String link) {
        return new DeviceCode("BCDF-GHJK", URI.create(link), null, Instant.EPOCH, SERVER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://ccp.example.com/device", "https://CCP.Example.com:443/device?user_code=BCDF-GHJK",
            "HTTPS://ccp.example.com/elsewhere"})
    void pagesOnTheServersOriginMayBeOpened(String link) {
        assertThat(code(link).browserUri()).contains(URI.create(link));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "file://evil.example/share/run.exe", "ms-settings:privacy",
            "javascript:alert(1)", "ccp-helper://ccp.example.com/device", "http://ccp.example.com/device",
            "https://ccp.example.com:8443/device", "https://evil.example/device", "https://ccp.example.com.evil.example/device",
            "https://ccp.example.com@evil.example/device", "https://user@ccp.example.com/device", "/device"})
    void anythingElseIsNotForOpening(String link) {
        assertThat(code(link).browserUri()).isEmpty();
    }
}
