package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import dev.ccp.sdk.CcpClientBuilder;
import dev.ccp.sdk.Sleeper;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What a run of {@code ccp} gets from outside: its streams, its environment, time, and the browser.
 * Passed in whole so that tests (and an end-to-end harness) run commands in-process with their own values.
 * {@code in} is what a person types: only {@code ccp run} reads it, to ask about steps.
 */
record Context(PrintStream out, PrintStream err, Map<String, String> env, Clock clock, Sleeper sleeper, Browser browser, InputStream in) {

    static final String CLIENT_ID = CcpClientBuilder.DEFAULT_CLIENT_ID;

    /** With nothing to read: a prompt then sees the end of its input at once. */
    Context(PrintStream out, PrintStream err, Map<String, String> env, Clock clock, Sleeper sleeper, Browser browser) {
        this(out, err, env, clock, sleeper, browser, InputStream.nullInputStream());
    }

    /** CCP_HOME, else $XDG_CONFIG_HOME/ccp, else ~/.config/ccp. */
    Path home() {
        String home = env.get("CCP_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "ccp");
        }
        String user = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(user, ".config", "ccp");
    }

    /**
     * Where the usage store lives: CCP_HOME, else $XDG_DATA_HOME/ccp, else ~/.local/share/ccp. Usage
     * is data, not configuration, so without CCP_HOME it goes where XDG puts data; with it, everything
     * stays under one folder.
     */
    Path dataHome() {
        String home = env.get("CCP_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "ccp");
        }
        String user = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(user, ".local", "share", "ccp");
    }

    /**
     * A client for the server named by the option, else CCP_SERVER, else (server left unset) the one
     * the stored credentials name.
     */
    CcpClient client(String serverOption) {
        return client(serverOption, false);
    }

    /** The same, never asking the server for policies when {@code offline}. */
    CcpClient client(String serverOption, boolean offline) {
        String server = serverOption != null ? serverOption : env.get("CCP_SERVER");
        CcpClientBuilder builder = CcpClient.builder().home(home()).usageHome(dataHome())
                .clock(clock).sleeper(sleeper).clientId(CLIENT_ID).offline(offline);
        if (server != null && !server.isBlank()) {
            try {
                builder.server(URI.create(server.strip()));
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, "ccp: invalid server URL '" + server
                        + "' — pass an http(s) URL such as https://ccp.example.com");
            }
        }
        return builder.build();
    }
}
