package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.Run;
import dev.ccp.sdk.Runner;
import dev.ccp.spi.runs.Recipe;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.WorkspaceRef;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ccp runner start}: claims the runs queued for a workspace, one at a time, and carries out their recipes. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Carry out the runs queued on the server for this workspace, one at a time: claim one, run its recipe"
                + " .ccp/recipes/RECIPE.json as `ccp run --detach` does (the steps that wait are decided on the web, in an editor"
                + " or in chat), report it with the runner's token, then claim the next. One line per run started and finished.",
                "The token comes from --token-file, else CCP_RUNNER_TOKEN, else CCP_HOME/runners/NAME.token. Stopped by a signal,"
                        + " it leaves the run in hand to the server, which fails it once it stops hearing from this runner."
                        + " A revoked or unknown token ends it with exit 13."})
final class RunnerStartCommand implements Callable<Integer> {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Set<CcpException.Kind> PASSING = Set.of(CcpException.Kind.SERVER_UNREACHABLE,
            CcpException.Kind.SERVER_UNAVAILABLE, CcpException.Kind.SERVER_ERROR, CcpException.Kind.RATE_LIMITED);

    @ParentCommand
    RunnerCommand parent;

    @Option(names = "--workspace", required = true, paramLabel = "DIR", description = "A folder of the git workspace to carry out runs in.")
    Path dir;

    @Option(names = "--token-file", paramLabel = "FILE", description = "The file holding the runner's token.")
    Path tokenFile;

    @Option(names = "--once", description = "Wait for one run, carry it out, then exit with its result (0, or 12 when it failed).")
    boolean once;

    private volatile Run inHand;

    @Override
    public Integer call() {
        Context context = parent.root.context;
        try (CcpClient client = parent.root.client()) {
            WorkspaceRef workspace = RecipeFiles.workspace(client, dir, "pass a folder of the workspace the runner was registered for");
            Runner runner;
            try {
                runner = client.runs().runner(token(client, workspace.name()), Path.of(workspace.root()));
            } catch (IllegalStateException e) {
                throw new CliException(ExitCodes.USAGE, "ccp: a runner needs a server — pass --server URL or set CCP_SERVER");
            }
            Thread stop = new Thread(() -> stopped(context.err(), runner), "ccp-runner-stop");
            Runtime.getRuntime().addShutdownHook(stop);
            try {
                context.out().println("Runner for " + workspace.name() + " (" + workspace.root() + ") on "
                        + client.server().map(Object::toString).orElse("") + ": waiting for runs");
                return serve(context, runner, Path.of(workspace.root()));
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(stop);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or has run
                }
            }
        }
    }

    private int serve(Context context, Runner runner, Path top) {
        int failures = 0;
        while (true) {
            Optional<Run> claimed;
            try {
                claimed = runner.claim(WAIT);
                failures = 0;
            } catch (CcpException e) {
                if (e.kind() == CcpException.Kind.UNAUTHORIZED) {
                    throw revoked();
                }
                if (!PASSING.contains(e.kind())) {
                    throw e;
                }
                Duration pause = Duration.ofSeconds(Math.min(60, 1L << Math.min(++failures - 1, 6)));
                context.err().println(Failures.line(e) + " (claiming again in " + pause.toSeconds() + " s)");
                try {
                    context.sleeper().sleep(pause);
                } catch (InterruptedException stopping) {
                    Thread.currentThread().interrupt();
                    return ExitCodes.OK;
                }
                continue;
            }
            if (claimed.isPresent()) {
                int exit = carryOut(context, claimed.get(), top);
                if (runner.revoked()) {
                    throw revoked();
                }
                if (once) {
                    return exit;
                }
            }
        }
    }

    /** One claimed run, as `ccp run --detach` carries it out, reported in two lines. */
    private int carryOut(Context context, Run claimed, Path top) {
        PrintStream out = context.out();
        PrintStream nowhere = new PrintStream(PrintStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        Context quiet = new Context(nowhere, nowhere, context.env(), context.clock(), context.sleeper(), context.browser());
        int exit;
        try (Run run = claimed) {
            inHand = run;
            RunView view = run.view();
            out.println("Run " + run.id() + " started: " + view.title() + " (recipe " + view.recipe() + ")");
            try {
                Recipe recipe = RecipeFiles.read(top, view.recipe(), "add it to the workspace this runner serves");
                exit = new RecipeRun(quiet, run, top, true).execute(recipe);
            } catch (CliException e) {
                exit = e.exitCode() == ExitCodes.RUN_FAILED ? ExitCodes.RUN_FAILED : fail(run, e.getMessage().replaceFirst("^ccp: ", ""));
            } catch (IllegalStateException e) {
                exit = ExitCodes.RUN_FAILED; // it ended under the recipe: on the server, or when the runner was revoked
            } catch (RuntimeException e) {
                exit = fail(run, "the runner failed: " + e.getMessage());
            }
            RunView ended = run.view();
            out.println("Run " + run.id() + " " + ended.state() + ": " + (ended.message() != null ? ended.message()
                    : ended.commit() != null ? "committed " + ended.commit() : "nothing to commit"));
        } finally {
            inHand = null;
        }
        return exit;
    }

    private static int fail(Run run, String why) {
        try {
            run.fail(why);
        } catch (IllegalStateException ended) {
            // ended already: its own ending stands
        }
        return ExitCodes.RUN_FAILED;
    }

    private String token(CcpClient client, String workspace) {
        String env = parent.root.context.env().get("CCP_RUNNER_TOKEN");
        if (tokenFile == null && env != null && !env.isBlank()) {
            return env.strip();
        }
        Path file = tokenFile != null ? tokenFile : client.runs().runnerTokenFile(workspace);
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.USAGE, "ccp: no runner token in " + file + " — register the runner with `ccp runner"
                    + " register --workspace " + workspace + "`, pass --token-file, or set CCP_RUNNER_TOKEN");
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "ccp: cannot read " + file + ": " + e.getMessage());
        }
    }

    private static CliException revoked() {
        return new CliException(ExitCodes.RUNNER_REVOKED, "ccp: this runner's token was revoked or is unknown — register it again"
                + " with `ccp runner register --workspace NAME`");
    }

    /** On SIGINT or SIGTERM: stop claiming, stop the commands a step started, and say what happens to the run in hand. */
    private void stopped(PrintStream err, Runner runner) {
        runner.close();
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroy);
        Run run = inHand;
        err.println("ccp: runner stopped" + (run == null ? "" : "; run " + run.id() + " is left to the server, which fails it once it"
                + " stops hearing from this runner"));
    }
}
