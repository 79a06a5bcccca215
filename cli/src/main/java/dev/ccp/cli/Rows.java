package dev.ccp.cli;

import java.io.PrintStream;

/** The "  Name:  value" lines of the status commands, names padded to one width. */
final class Rows {

    private Rows() {
    }

    /**
     * One line: two spaces, {@code name + ":"} padded to {@code width}, a space, the value. Padded by
     * hand: {@code printf} parses its format with regular expressions, a cost at every start.
     */
    static void row(PrintStream out, int width, String name, String value) {
        StringBuilder line = new StringBuilder(width + 4 + value.length()).append("  ").append(name).append(':');
        while (line.length() < width + 2) {
            line.append(' ');
        }
        out.println(line.append(' ').append(value));
    }
}
