package dev.ccp.cli;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Opens a page in the person's browser when there is one to open; never fails the command. */
@FunctionalInterface
interface Browser {

    /** Whether a browser was started. */
    boolean open(URI uri);

    /** The system's browser. Without a display (SSH, CI, containers) nothing is tried. */
    static Browser system(Map<String, String> env) {
        return uri -> start(command(uri, env, System.getProperty("os.name", "")));
    }

    /**
     * The command that opens {@code uri}, or none. Only http(s) URLs are handed over: xdg-open, open
     * and rundll32 would pass a {@code file:}, UNC or custom-scheme link to whatever program claims it.
     */
    static List<String> command(URI uri, Map<String, String> env, String osName) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.isOpaque() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            return List.of();
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            return List.of("rundll32", "url.dll,FileProtocolHandler", uri.toString());
        }
        if (os.contains("mac")) {
            return List.of("open", uri.toString());
        }
        if (isSet(env, "DISPLAY") || isSet(env, "WAYLAND_DISPLAY")) {
            return List.of("xdg-open", uri.toString());
        }
        return List.of();
    }

    private static boolean start(List<String> command) {
        if (command.isEmpty()) {
            return false;
        }
        try {
            new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean isSet(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }
}
