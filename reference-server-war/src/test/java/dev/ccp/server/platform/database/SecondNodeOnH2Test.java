package dev.ccp.server.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An H2 file serves one node: a second server process on the same file is refused in words. */
class SecondNodeOnH2Test {

    @TempDir
    Path dir;

    @Test
    void aSecondProcessOnTheSameH2FileIsRefusedWithAClearMessage() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db").resolve("ccp") + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE";
        // The first node: another JVM that opens the file and holds it.
        Path holder = Files.writeString(dir.resolve("Holder.java"), """
                public class Holder {
                    public static void main(String[] args) throws Exception {
                        try (var c = java.sql.DriverManager.getConnection(args[0], "sa", "")) {
                            System.out.println("open");
                            System.out.flush();
                            Thread.sleep(120_000);
                        }
                    }
                }
                """);
        String h2 = Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Process first = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", h2,
                holder.toString(), url).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("open");

            assertThatThrownBy(() -> Database.open(url, "sa", ""))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is in use by another server process")
                    .hasMessageContaining("run several nodes on PostgreSQL");
        } finally {
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        try (Database alone = Database.open(url, "sa", "")) {
            assertThat(alone.unavailable()).as("once the other process is gone, the file opens").isEmpty();
        }
    }
}
