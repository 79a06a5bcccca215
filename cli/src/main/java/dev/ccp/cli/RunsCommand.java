package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import dev.ccp.spi.runs.Decision;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.StepView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ccp runs}: the org's runs on the server: list, show, follow, and decide their waiting steps. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "List, show and follow the org's runs on the server, and approve or reject their waiting steps.",
        subcommands = {RunsCommand.List.class, RunsShowCommand.class, RunsShowCommand.Follow.class,
                RunsCommand.Approve.class, RunsCommand.Reject.class})
final class RunsCommand extends CommandGroup {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the org's runs, newest first.")
    static final class List implements Callable<Integer> {
        @ParentCommand
        RunsCommand parent;

        @Option(names = "--state", paramLabel = "STATE", description = "Only runs in this state: queued, running, waiting,"
                + " succeeded, failed or cancelled.")
        String state;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Runs to show (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            try (CcpClient client = parent.root.client()) {
                java.util.List<RunView> runs = client.runs().list(state, limit);
                for (RunView run : runs) {
                    parent.root.context.out().println(run.id() + "  " + run.state() + "  " + run.createdAt() + "  " + run.startedBy()
                            + "  " + run.title() + (run.commit() == null ? "" : "  " + run.commit()));
                }
                if (runs.isEmpty()) {
                    parent.root.context.out().println("No runs" + (state == null ? "" : " " + state));
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve a waiting step of a run, as it was proposed or with other content for some of its files.")
    static final class Approve implements Callable<Integer> {
        @ParentCommand
        RunsCommand parent;

        @Mixin
        StepArgs step = new StepArgs();

        @Option(names = "--file", paramLabel = "PATH=LOCALFILE", description = "Approve with edits: write LOCALFILE's content to"
                + " the change's file PATH instead of the proposed one. Repeatable.")
        java.util.List<String> files = java.util.List.of();

        @Override
        public Integer call() {
            Map<String, String> edits = new LinkedHashMap<>();
            for (String file : files) {
                int eq = file.indexOf('=');
                if (eq <= 0 || eq == file.length() - 1) {
                    throw new CliException(ExitCodes.USAGE, "ccp: --file takes PATH=LOCALFILE, such as src/Main.java=Main.java — see"
                            + " `ccp runs approve --help`");
                }
                edits.put(file.substring(0, eq), read(Path.of(file.substring(eq + 1))));
            }
            Decision decision = edits.isEmpty() ? Decision.approve("terminal") : Decision.approveWithEdits(edits, "terminal");
            return step.decide(parent, decision);
        }

        private static String read(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "ccp: cannot read " + file + " (" + e.getMessage() + ") — pass a file to"
                        + " approve in place of the proposed content");
            }
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject a waiting step of a run: it is not carried out.")
    static final class Reject implements Callable<Integer> {
        @ParentCommand
        RunsCommand parent;

        @Mixin
        StepArgs step = new StepArgs();

        @Override
        public Integer call() {
            return step.decide(parent, Decision.reject("terminal"));
        }
    }

    /** The step {@code approve} and {@code reject} decide: a run's id and the step's number. */
    static final class StepArgs {
        @Parameters(index = "0", paramLabel = "ID", description = "The run.")
        String id;

        @Parameters(index = "1", paramLabel = "N", description = "The step's number.")
        int step;

        int decide(RunsCommand parent, Decision decision) {
            if (step < 1) {
                throw new CliException(ExitCodes.USAGE, "ccp: steps are numbered from 1 — see `ccp runs show " + id + "`");
            }
            try (CcpClient client = parent.root.client()) {
                StepView decided = client.runs().decide(id, step, decision);
                parent.root.context.out().println((decision.approve() ? "Approved" : "Rejected") + " step " + step + " of run " + id
                        + (decision.edited() ? " with edits to " + String.join(", ", decision.files().keySet()) : "")
                        + " (now " + decided.state() + ")");
            }
            return ExitCodes.OK;
        }
    }
}
