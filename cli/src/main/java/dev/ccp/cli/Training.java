package dev.ccp.cli;

import dev.ccp.spi.license.Ed25519Key;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.license.LicenseClaims;
import dev.ccp.spi.license.LicensePackCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A run of the commands people use most, against a home made up for it (a license pack signed by a
 * key made here, its pin, credentials), for the launcher to record which classes ccp loads into its
 * class-data archive: {@code java -XX:DumpLoadedClassList=… -cp ccp.jar dev.ccp.cli.Training}. It
 * touches nothing of the user's and needs no server.
 */
public final class Training {

    private Training() {
    }

    public static void main(String[] args) throws IOException {
        run();
    }

    /** The training run; throws when a command in it fails. */
    static void run() throws IOException {
        Path home = Files.createTempDirectory("ccp-training");
        try {
            String server = "https://ccp.invalid";
            Ed25519Key key = Ed25519Key.generate("license");
            long now = Instant.now().getEpochSecond();
            LicenseClaims claims = new LicenseClaims(server + "/", "usr_training", "training", "seat_training", "pro",
                    Map.of("zai_offload", true, "dashboards", true, "privacy_tier", "minimized"), 5,
                    now, now, now + 86_400, now + 3_600, now + 7 * 86_400, "lic_training", "active", null);
            Files.writeString(home.resolve("license.jws"), new LicensePackCodec().sign(claims, key));
            Files.writeString(home.resolve("credentials.json"), "{\"server\":\"" + server + "\",\"access_token\":\"training.token.x\","
                    + "\"access_expires_at\":\"" + Instant.ofEpochSecond(now + 900) + "\",\"refresh_token\":\"refresh\","
                    + "\"login\":\"training@example.com\",\"org\":\"training\"}");
            Files.writeString(home.resolve("pins.json"), "{\"" + server + "\":{\"pinned_at\":\"" + Instant.ofEpochSecond(now)
                    + "\",\"jwks\":" + KeyRing.of(key).toPublicJwks() + "}}");
            PrintStream nowhere = new PrintStream(PrintStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            Map<String, String> env = Map.of("CCP_HOME", home.toString());
            // A run that fails would train the archive on the failure's path, not the one people take.
            for (String[] args : new String[][] {{"status", "--offline"}, {"status", "--offline", "--json"}, {"--version"}}) {
                int code = Main.run(nowhere, nowhere, env, args);
                if (code != ExitCodes.OK) {
                    throw new IllegalStateException("training run ccp " + String.join(" ", args) + " exited " + code);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
