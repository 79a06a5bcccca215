package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import dev.ccp.spi.wire.DecisionView;
import dev.ccp.spi.wire.RunEvent;
import dev.ccp.spi.wire.RunEvents;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.StepView;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ccp runs show ID}: the whole story of a run: its steps, verdicts, decisions, outcomes and commit. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show a run: each step with the policy's verdict, who decided it, when and where, what it did, and the commit.")
final class RunsShowCommand implements Callable<Integer> {

    private static final Set<String> ENDED = Set.of("succeeded", "failed", "cancelled");

    @ParentCommand
    RunsCommand parent;

    @Parameters(paramLabel = "ID", description = "The run.")
    String id;

    @Option(names = "--diff", description = "Also print each change's diff and each command's output.")
    boolean diff;

    @Override
    public Integer call() {
        try (CcpClient client = parent.root.client()) {
            print(parent.root.context.out(), client.runs().get(id), diff);
        }
        return ExitCodes.OK;
    }

    static void print(PrintStream out, RunView run, boolean diff) {
        out.println("Run " + run.id() + ": " + run.title());
        Rows.row(out, 10, "State", run.state() + (run.message() == null ? "" : " (" + run.message() + ")"));
        if (run.workspace() != null) {
            String head = run.workspace().head() == null ? "no commit yet" : run.workspace().head().substring(0, Math.min(12, run.workspace().head().length()));
            Rows.row(out, 10, "Workspace", run.workspace().name() + " on " + (run.workspace().branch() == null ? "a detached HEAD" : run.workspace().branch())
                    + " at " + head);
        }
        Rows.row(out, 10, "Started", run.createdAt() + " by " + run.startedBy() + " from the " + run.source()
                + ", approvals: " + run.approval());
        if (run.phase() != null) {
            Rows.row(out, 10, "Phase", run.phase() + (run.message() == null || ENDED.contains(run.state()) ? "" : ": " + run.message()));
        }
        Rows.row(out, 10, "Commit", run.commit() == null ? "none" : run.commit());
        for (StepView step : run.steps() == null ? java.util.List.<StepView>of() : run.steps()) {
            out.println("Step " + step.n() + ": " + what(step) + " — " + step.state());
            out.println("  " + step.verdict() + ": " + step.reason());
            DecisionView d = step.decision();
            if (d != null) {
                out.println("  " + ("edit".equals(d.decision()) ? "approved with edits" : "approve".equals(d.decision()) ? "approved" : "rejected") + " by " + d.by() + " via " + d.via() + " at " + d.at()
                        + (d.files() == null ? "" : " (edited: " + String.join(", ", d.files().keySet()) + ")"));
            }
            if (step.exitCode() != null) {
                out.println("  exit code " + step.exitCode());
            }
            if (diff && step.diff() != null) {
                out.print(step.diff());
            }
            if (diff && step.output() != null) {
                out.print(step.output().endsWith("\n") ? step.output() : step.output() + "\n");
            }
        }
    }

    private static String what(StepView step) {
        return switch (step.kind()) {
            case "change" -> "change " + String.join(", ", step.files() == null ? java.util.List.of() : step.files().keySet());
            case "command" -> "run " + String.join(" ", step.argv()) + (step.cwd() == null || step.cwd().equals(".") ? "" : " (in " + step.cwd() + ")");
            default -> "note: " + step.text();
        };
    }

    /** {@code ccp runs follow ID}: the run's events as they happen, until it ends. */
    @Command(name = "follow", mixinStandardHelpOptions = true, description = "Print a run's events as they happen, until it ends.")
    static final class Follow implements Callable<Integer> {
        @ParentCommand
        RunsCommand parent;

        @Parameters(paramLabel = "ID", description = "The run.")
        String id;

        @Option(names = "--after", paramLabel = "SEQ", defaultValue = "0", description = "Start after this event (default: from the first).")
        long after;

        @Override
        public Integer call() {
            PrintStream out = parent.root.context.out();
            try (CcpClient client = parent.root.client()) {
                long next = after;
                while (true) {
                    RunEvents events = client.runs().events(id, next, Duration.ofSeconds(30));
                    for (RunEvent e : events.events()) {
                        out.println(e.seq() + "  " + e.at() + "  " + e.type() + (e.step() == null ? "" : " step " + e.step())
                                + (e.state() == null ? "" : "  " + e.state()) + (e.message() == null ? "" : "  " + e.message()));
                    }
                    next = Math.max(next, events.next());
                    if (ENDED.contains(events.state())) {
                        out.println("Run " + id + " " + events.state());
                        return ExitCodes.OK;
                    }
                }
            }
        }
    }
}
