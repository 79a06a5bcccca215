package dev.ccp.cli;

import dev.ccp.sdk.UsageLines;
import dev.ccp.sdk.testing.FakeCcpServer;
import dev.ccp.sdk.testing.RecordingSleeper;
import dev.ccp.spi.license.LicenseVectors;
import dev.ccp.spi.testing.MutableClock;
import dev.ccp.spi.usage.Outcome;
import dev.ccp.spi.usage.UsageEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code ccp} in-process against a fake server, with a fake clock and a home of its own. */
abstract class CliFixture {

    @TempDir
    Path home;

    final MutableClock clock = new MutableClock(LicenseVectors.NOW);
    final RecordingSleeper sleeper = new RecordingSleeper(clock);
    final FakeCcpServer server = FakeCcpServer.start(clock);
    /** The pages a run asked the browser to open; none is really opened. */
    final List<URI> opened = new CopyOnWriteArrayList<>();

    /** What one run printed and returned. */
    record Run(int exit, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("CCP_HOME", home.toString());
        env.put("CCP_SERVER", server.uri().toString());
        return env;
    }

    Run ccp(String... args) {
        return ccp(env(), args);
    }

    Run ccp(Map<String, String> env, String... args) {
        return ccp(env, java.io.InputStream.nullInputStream(), args);
    }

    /** A run that reads what a person would type from {@code in}. */
    Run ccp(Map<String, String> env, java.io.InputStream in, String... args) {
        return run(env, in, context -> Main.run(context, args));
    }

    /** The same run with picocli reading the command line, even one that {@link Main} reads by hand. */
    Run ccpWithModel(String... args) {
        return run(env(), java.io.InputStream.nullInputStream(), context -> Main.withModel(context, args));
    }

    private Run run(Map<String, String> env, java.io.InputStream in, ToIntFunction<Context> main) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            int exit = main.applyAsInt(new Context(o, e, Map.copyOf(env), clock, sleeper, opened::add, in));
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    Run login() {
        return ccp("login", "--no-browser");
    }

    /** A JSON Lines file of these lines, in a folder of its own. */
    Path file(String name, String... lines) {
        try {
            Path dir = Files.createDirectories(home.resolve("files"));
            return Files.write(dir.resolve(name), List.of(lines), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The line of an ok request to {@code model} at {@code ts}: 800 ms, 1000 tokens in, 200 out. */
    static String line(Instant ts, String model) {
        return UsageLines.format(new UsageEvent(ts, model, Outcome.OK, 800, 1000, 200, false));
    }

    /** {@link #line} at the fixture clock minus {@code ago}. */
    String line(Duration ago, String model) {
        return line(clock.instant().minus(ago), model);
    }
}
