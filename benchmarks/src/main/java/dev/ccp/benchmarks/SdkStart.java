package dev.ccp.benchmarks;

import dev.ccp.sdk.CcpClient;
import dev.ccp.sdk.License;
import java.nio.file.Path;

/**
 * What a tool embedding the SDK pays at each start: build a client over a logged-in home, read its
 * license pack and verify it offline. {@code java -cp benchmarks.jar dev.ccp.benchmarks.SdkStart HOME}
 * prints the license's status; {@code benchmarks/cli-start.sh} times it as a whole process.
 */
public final class SdkStart {

    private SdkStart() {
    }

    public static void main(String[] args) {
        try (CcpClient client = CcpClient.builder().home(Path.of(args[0])).offline(true).build()) {
            License license = client.license();
            System.out.println(license.status());
        }
    }
}
