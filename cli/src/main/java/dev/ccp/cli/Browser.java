package dev.ccp.cli;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Opens a page in the person's browser when there is one to open; never fails the command. */
final class Browser {

    private Browser() {
    }

    /** Whether a browser was started. Without a display (SSH, CI, containers) nothing is tried. */
    static boolean open(URI uri, Map<String, String> env) {
        List<String> command = command(uri, env, System.getProperty("os.name", ""));
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

    static List<String> command(URI uri, Map<String, String> env, String osName) {
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

    private static boolean isSet(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }
}
