package dev.ccp.sdk;

import dev.ccp.sdk.testing.FakeCcpServer;
import dev.ccp.sdk.testing.RecordingSleeper;
import dev.ccp.spi.license.LicenseVectors;
import dev.ccp.spi.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A home folder, a fake clock, a sleeper that never waits and a fake server, fresh for each test. */
abstract class ClientFixture {

    @TempDir
    Path home;

    final MutableClock clock = new MutableClock(LicenseVectors.NOW);
    final RecordingSleeper sleeper = new RecordingSleeper(clock);
    final FakeCcpServer server = FakeCcpServer.start(clock);
    final Listener listener = new Listener();

    @AfterEach
    void stopServer() {
        server.close();
    }

    CcpClientBuilder builder() {
        return CcpClient.builder().server(server.uri()).home(home).clock(clock).sleeper(sleeper)
                .httpTimeout(Duration.ofSeconds(5));
    }

    CcpClient client() {
        return builder().build();
    }

    LoginResult login(CcpClient client) {
        return client.login(LoginOptions.of(listener));
    }

    /** Records what a login showed. */
    static final class Listener implements LoginListener {
        final List<DeviceCode> codes = new ArrayList<>();
        final List<Duration> waits = new ArrayList<>();
        final List<List<String>> pinned = new ArrayList<>();
        final List<Duration> unavailable = new ArrayList<>();

        @Override
        public void onCode(DeviceCode code) {
            codes.add(code);
        }

        @Override
        public void onWaiting(Duration nextPollIn) {
            waits.add(nextPollIn);
        }

        @Override
        public void onServerUnavailable(String reason, Duration retryIn) {
            unavailable.add(retryIn);
        }

        @Override
        public void onKeysPinned(List<String> fingerprints) {
            pinned.add(fingerprints);
        }
    }
}
