package dev.ccp.server.it;

import dev.ccp.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** The real {@code ccp} command, run in-process with its own home folder and server. */
public final class Cli {

    /** What one command printed, and its exit code. */
    public record Result(int exit, String out, String err) {
    }

    private final Map<String, String> env;

    public Cli(Path home, String server) {
        this.env = Map.of("CCP_HOME", home.toString(), "CCP_SERVER", server);
    }

    public Map<String, String> env() {
        return env;
    }

    public Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env, args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    public int run(PrintStream out, PrintStream err, String... args) {
        return Main.run(out, err, env, args);
    }
}
