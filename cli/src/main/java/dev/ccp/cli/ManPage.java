package dev.ccp.cli;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code ccp(1)} in troff, from the same picocli model that prints {@code --help}, so the page never
 * drifts from the commands. picocli's own generator writes AsciiDoc, which would need Asciidoctor (Ruby,
 * or JRuby in the build) to become a man page; the troff subset a command reference needs is small.
 */
final class ManPage {

    private ManPage() {
    }

    /** The whole page: the top command, then a section per command, then the exit codes. */
    static String render(CommandLine root, String version, String date) {
        CommandSpec spec = root.getCommandSpec();
        StringBuilder page = new StringBuilder()
                .append(".TH CCP 1 \"").append(date).append("\" \"").append(escape(version)).append("\" \"User Commands\"\n")
                .append(".SH NAME\nccp \\- ").append(escape(lowerFirst(text(spec.usageMessage().description())))).append('\n')
                .append(".SH SYNOPSIS\n.B ccp\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGUMENTS\\fR]\n")
                .append(".SH DESCRIPTION\n").append(escape(text(spec.usageMessage().description()))).append('\n');
        options(page, spec);
        page.append(".SH COMMANDS\n");
        for (CommandLine command : commands(root)) {
            command(page, command.getCommandSpec());
        }
        page.append(".SH \"EXIT STATUS\"\n");
        for (String line : ExitCodes.HELP) {
            String code = line.strip();
            if (!code.isEmpty() && Character.isDigit(code.charAt(0))) {
                String[] parts = code.split("\\s+", 2);
                page.append(".TP\n.B ").append(parts[0]).append('\n').append(escape(parts[1])).append('\n');
            } else if (line.startsWith("     ")) {
                page.append(escape(code)).append('\n');
            }
        }
        page.append(".SH ENVIRONMENT\n");
        for (String line : spec.usageMessage().footer()) {
            if (line.startsWith("  CCP_")) {
                String[] parts = line.strip().split("\\s+", 2);
                page.append(".TP\n.B ").append(parts[0]).append('\n').append(escape(parts[1])).append('\n');
            } else if (line.startsWith("              ")) {
                page.append(escape(line.strip())).append('\n');
            }
        }
        return page.append(".SH \"SEE ALSO\"\n\\fBccp \\fICOMMAND\\fB \\-\\-help\\fR prints the same for one command.\n").toString();
    }

    /** Every command below the top one, depth first, in the order {@code --help} lists them. */
    static List<CommandLine> commands(CommandLine root) {
        return root.getSubcommands().values().stream().distinct().filter(c -> !c.getCommandSpec().usageMessage().hidden())
                .flatMap(c -> java.util.stream.Stream.concat(java.util.stream.Stream.of(c), commands(c).stream()))
                .collect(Collectors.toList());
    }

    private static void command(StringBuilder page, CommandSpec spec) {
        page.append(".SS \"").append(escape(spec.qualifiedName())).append("\"\n");
        StringBuilder synopsis = new StringBuilder(".B ").append(escape(spec.qualifiedName())).append('\n');
        if (!spec.options().isEmpty()) {
            synopsis.append("[\\fIOPTIONS\\fR]\n");
        }
        for (PositionalParamSpec positional : spec.positionalParameters()) {
            if (!positional.hidden()) {
                synopsis.append("\\fI").append(escape(positional.paramLabel())).append("\\fR\n");
            }
        }
        page.append(synopsis).append(".br\n").append(escape(text(spec.usageMessage().description()))).append('\n');
        for (PositionalParamSpec positional : spec.positionalParameters()) {
            if (!positional.hidden()) {
                page.append(".TP\n\\fI").append(escape(positional.paramLabel())).append("\\fR\n")
                        .append(escape(text(positional.description()))).append('\n');
            }
        }
        options(page, spec);
    }

    private static void options(StringBuilder page, CommandSpec spec) {
        List<OptionSpec> shown = spec.options().stream().filter(o -> !o.hidden() && !o.usageHelp() && !o.versionHelp())
                .filter(o -> spec.parent() == null || !o.inherited()).toList();
        if (shown.isEmpty()) {
            return;
        }
        if (spec.parent() == null) {
            page.append(".SH OPTIONS\n");
        }
        for (OptionSpec option : shown) {
            page.append(".TP\n").append(option.names().length == 0 ? "" : names(option)).append('\n')
                    .append(escape(text(option.description()))).append('\n');
        }
    }

    private static String names(OptionSpec option) {
        String names = java.util.Arrays.stream(option.names()).map(n -> "\\fB" + escape(n) + "\\fR").collect(Collectors.joining(", "));
        return isFlag(option) ? names : names + "=\\fI" + escape(option.paramLabel()) + "\\fR";
    }

    private static boolean isFlag(ArgSpec arg) {
        return arg.type() == boolean.class || arg.type() == Boolean.class;
    }

    private static String text(String[] lines) {
        return String.join(" ", lines).replaceAll("@\\|[a-z,]+ ([^|]*)\\|@", "$1").strip();
    }

    private static String lowerFirst(String text) {
        String first = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        return first.isEmpty() ? first : first.substring(0, 1).toLowerCase(Locale.ROOT) + first.substring(1);
    }

    /** Text as troff reads it literally: backslashes, hyphens, and a control character at a line's start. */
    static String escape(String text) {
        String escaped = text.replace("\\", "\\e").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
