package dev.ccp.server.platform;

import java.util.Objects;

/** CSV fields for the files the server hands out (RFC 4180), safe to open in a spreadsheet. */
public final class Csv {

    private Csv() {
    }

    /**
     * A field: as it is when it holds only plain characters, else quoted with its quotes doubled; a
     * leading formula character is neutralised so that a spreadsheet shows it rather than runs it.
     */
    public static String field(String value) {
        String text = Objects.toString(value, "");
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.matches("[A-Za-z0-9._:/-]*")) {
            return text;
        }
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
