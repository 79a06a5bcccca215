package dev.ccp.cli;

import dev.ccp.sdk.Proposal;
import dev.ccp.sdk.Run;
import dev.ccp.spi.runs.Recipe;
import dev.ccp.spi.runs.Step;
import dev.ccp.spi.wire.DecisionView;
import dev.ccp.spi.wire.StepView;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Carries out a recipe's steps in order through a {@link Run}: each proposed, decided when it waits,
 * carried out when ready. Denied and rejected steps are skipped; the first step that fails stops
 * the run. The accepted changes are committed unless a step failed.
 */
final class RecipeRun {

    private final Context context;
    private final PrintStream out;
    private final Run run;
    private final Path root;
    private final boolean detached;

    RecipeRun(Context context, Run run, Path root, boolean detached) {
        this.context = context;
        this.out = context.out();
        this.run = run;
        this.root = root;
        this.detached = detached;
    }

    int execute(Recipe recipe) {
        List<Integer> denied = new ArrayList<>();
        int total = recipe.steps().size();
        for (int i = 0; i < total; i++) {
            Recipe.Entry entry = recipe.steps().get(i);
            String summary = RecipeSteps.summary(entry);
            out.println("Step " + (i + 1) + "/" + total + ": " + summary);
            run.progress("step " + (i + 1) + " of " + total, summary);
            Step step;
            try {
                step = RecipeSteps.step(root, entry);
            } catch (IllegalArgumentException e) {
                return failed("step " + (i + 1) + ": " + e.getMessage());
            }
            Proposal proposal = run.propose(step);
            StepView view = decided(proposal);
            switch (view.state()) {
                case "denied" -> {
                    out.println("  denied: " + view.reason());
                    denied.add(i + 1);
                    continue;
                }
                case "rejected" -> {
                    out.println("  rejected" + by(view.decision()) + "; skipped");
                    continue;
                }
                default -> {
                    // ready: carried out below
                }
            }
            StepView done = proposal.carryOut();
            if (done.kind().equals("command") && done.output() != null && !done.output().isEmpty()) {
                out.print(done.output().endsWith("\n") ? done.output() : done.output() + "\n");
            }
            if (done.state().equals("failed")) {
                return failed("step " + (i + 1) + " failed"
                        + (done.exitCode() != null ? " with exit code " + done.exitCode() : done.output() != null ? ": " + done.output().strip() : ""));
            }
            out.println("  done");
        }
        String commit = run.commit();
        String committed = commit == null ? "nothing to commit" : "committed " + commit;
        if (!denied.isEmpty()) {
            String why = (denied.size() == 1 ? "step " : "steps ") + denied.toString().replaceAll("[\\[\\]]", "") + " denied by the policy";
            run.fail(why);
            out.println("Run " + run.id() + " failed: " + committed);
            throw new CliException(ExitCodes.RUN_FAILED, "ccp: " + why + " — the run ended failed; the accepted changes were "
                    + (commit == null ? "none" : "committed as " + commit));
        }
        run.finish();
        out.println("Run " + run.id() + " succeeded: " + committed);
        return ExitCodes.OK;
    }

    /** The step once it no longer waits, saying who decided when it was not this terminal. */
    private StepView decided(Proposal proposal) {
        StepView view = proposal.view();
        if (view.state().equals("waiting")) {
            if (detached) {
                // Otherwise the prompt says so, on its own thread, before it asks.
                out.println("  waits: " + view.reason() + " — decide it on the web, in an editor or in chat");
            }
            try {
                view = proposal.decision().join();
            } catch (CancellationException e) {
                throw new CliException(ExitCodes.RUN_FAILED, "ccp: run " + run.id() + " ended while step " + proposal.n() + " waited");
            }
            DecisionView decision = view.decision();
            if (decision != null && !"terminal".equals(decision.via())) {
                out.println();
                out.println("  " + said(decision) + where(decision.via()) + by(decision));
            }
        }
        return view;
    }

    private static String said(DecisionView decision) {
        return switch (decision.decision()) {
            case "approve" -> "approved";
            case "edit" -> "approved with edits";
            default -> "rejected";
        };
    }

    private static String where(String via) {
        return via == null ? " elsewhere" : switch (via) {
            case "editor" -> " in the editor";
            case "web" -> " on the web";
            case "chat" -> " in chat";
            default -> " via " + via;
        };
    }

    private static String by(DecisionView decision) {
        return decision == null ? " (nobody was there to approve it)" : decision.by() == null ? "" : " by " + decision.by();
    }

    private int failed(String why) {
        run.fail(why);
        context.err().println("ccp: " + why + " — run " + run.id() + " ended failed; later steps were not carried out,"
                + " nothing was committed, and the files written so far stay in the working tree");
        return ExitCodes.RUN_FAILED;
    }
}
