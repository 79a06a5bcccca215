package dev.ccp.spi.policy;

import java.util.regex.Pattern;

/**
 * The two glob dialects of a policy. Both match the whole text. In the plain dialect (models,
 * commands) {@code *} is any text. In the path dialect {@code **} crosses folders, {@code *} and
 * {@code ?} stay within one, and a leading {@code **}{@code /} also matches no folder at all, as in
 * {@code .gitignore}.
 */
final class Glob {

    private Glob() {
    }

    static Pattern plain(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    static Pattern path(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (c != '*' && c != '?') {
                literal.append(c);
                i++;
                continue;
            }
            if (!literal.isEmpty()) {
                regex.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
            }
            if (c == '?') {
                regex.append("[^/]");
                i++;
            } else if (glob.startsWith("**/", i)) {
                regex.append("(?:.*/)?");
                i += 3;
            } else if (glob.startsWith("**", i)) {
                regex.append(".*");
                i += 2;
            } else {
                regex.append("[^/]*");
                i++;
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
