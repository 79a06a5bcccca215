package dev.ccp.cli;

import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.Sleeper;
import dev.ccp.spi.license.Ed25519Key;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParameterException;

/**
 * Entry point of {@code ccp}. {@link #run} never exits the JVM, never reads stdin and takes its
 * environment as a parameter, so tests and end-to-end harnesses can run it in-process; only
 * {@link #main} hands the process's stdin to the commands that ask a person.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Map<String, String> env = Map.copyOf(System.getenv());
        System.exit(run(new Context(System.out, System.err, env, Clock.systemUTC(), Sleeper.system(), Browser.system(env), System.in), args));
    }

    /** Runs one {@code ccp} command line and returns its exit code (see {@link ExitCodes}). */
    public static int run(PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        Map<String, String> copy = Map.copyOf(env);
        return run(new Context(out, err, copy, Clock.systemUTC(), Sleeper.system(), Browser.system(copy)), args);
    }

    static int run(Context context, String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // Nothing to parse: the version needs no command model.
            context.out().println(CcpCommand.Version.text());
            return ExitCodes.OK;
        }
        // Most commands verify the stored pack; the JDK's Ed25519 gets ready while the command starts.
        Ed25519Key.preload();
        StatusCommand status = StatusCommand.plain(context, args);
        if (status != null) {
            try {
                return status.call();
            } catch (Exception e) {
                return failure(context, e);
            }
        }
        return withModel(context, args);
    }

    /** Runs a command line through picocli's model of the command it names. */
    static int withModel(Context context, String... args) {
        CommandLine cli = commandLine(context, args);
        cli.setOut(new PrintWriter(context.out(), true));
        cli.setErr(new PrintWriter(context.err(), true));
        cli.setParameterExceptionHandler(Main::usageError);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> failure(context, e));
        return cli.execute(args);
    }

    /** The whole command tree, with the exit codes at the end of the top command's help. */
    static CommandLine commandLine(Context context) {
        return commandLine(context, new String[0]);
    }

    /**
     * The command tree a run needs: only the command {@code args} names, when they name one, else
     * all of them (for help, or picocli's "did you mean" on a mistyped name).
     */
    static CommandLine commandLine(Context context, String[] args) {
        CommandLine cli = new CommandLine(new CcpCommand(context));
        String named = commandNamed(args);
        CcpCommand.COMMANDS.forEach((name, command) -> {
            if (named == null || named.equals(name)) {
                cli.addSubcommand(name, command);
            }
        });
        UsageMessageSpec usage = cli.getCommandSpec().usageMessage();
        usage.footer(Stream.concat(Arrays.stream(usage.footer()), Arrays.stream(ExitCodes.HELP)).toArray(String[]::new));
        return cli;
    }

    /** The command the first argument that is not an option names; null when it names none. */
    static String commandNamed(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--server")) {
                i++;
            } else if (!args[i].startsWith("-")) {
                return CcpCommand.COMMANDS.containsKey(args[i]) ? args[i] : null;
            }
        }
        return null;
    }

    private static int usageError(ParameterException e, String[] args) {
        String command = e.getCommandLine().getCommandSpec().qualifiedName();
        e.getCommandLine().getErr().println("ccp: " + e.getMessage() + " — see `" + command + " --help`");
        return ExitCodes.USAGE;
    }

    /** Turns any failure into one line on stderr and its exit code; a stack trace only when CCP_DEBUG is set. */
    static int failure(Context context, Exception e) {
        if (context.env().containsKey("CCP_DEBUG")) {
            e.printStackTrace(context.err());
        }
        if (e instanceof CcpException ccp) {
            context.err().println(Failures.line(ccp));
            return ExitCodes.of(ccp.kind());
        }
        if (e instanceof CliException cli) {
            context.err().println(cli.getMessage());
            return cli.exitCode();
        }
        if (e instanceof IllegalArgumentException) {
            context.err().println("ccp: " + e.getMessage() + " — see `ccp --help`");
            return ExitCodes.USAGE;
        }
        context.err().println("ccp: unexpected error: " + e + " — run again with CCP_DEBUG=1 and report it");
        return ExitCodes.UNEXPECTED;
    }
}
