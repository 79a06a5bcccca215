package dev.ccp.cli;

import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.Sleeper;
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
 * environment as a parameter, so tests and end-to-end harnesses can run it in-process.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, System.getenv(), args));
    }

    /** Runs one {@code ccp} command line and returns its exit code (see {@link ExitCodes}). */
    public static int run(PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        Map<String, String> copy = Map.copyOf(env);
        return run(new Context(out, err, copy, Clock.systemUTC(), Sleeper.system(), Browser.system(copy)), args);
    }

    static int run(Context context, String... args) {
        CommandLine cli = commandLine(context);
        cli.setOut(new PrintWriter(context.out(), true));
        cli.setErr(new PrintWriter(context.err(), true));
        cli.setParameterExceptionHandler(Main::usageError);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> failure(context, e));
        return cli.execute(args);
    }

    /** The command tree, with the exit codes at the end of the top command's help. */
    static CommandLine commandLine(Context context) {
        CommandLine cli = new CommandLine(new CcpCommand(context));
        UsageMessageSpec usage = cli.getCommandSpec().usageMessage();
        usage.footer(Stream.concat(Arrays.stream(usage.footer()), Arrays.stream(ExitCodes.HELP)).toArray(String[]::new));
        return cli;
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
