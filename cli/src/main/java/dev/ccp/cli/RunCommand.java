package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import dev.ccp.sdk.Run;
import dev.ccp.sdk.RunOptions;
import dev.ccp.spi.runs.ApprovalMode;
import dev.ccp.spi.runs.Recipe;
import dev.ccp.spi.wire.WorkspaceRef;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ccp run RECIPE}: a recipe of the workspace, step by step under the org's policy, then one commit. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the recipe .ccp/recipes/RECIPE.json of this git workspace step by step under the org's policy,"
                + " asking here about the steps that wait (unless decided on the web, in an editor or in chat first),"
                + " then commit the accepted changes with a Ccp-Run trailer.",
                "A denied or rejected step is skipped and reported; a denied one makes the run end failed (exit 12) after"
                + " the accepted changes are committed. A step that fails stops the run: later steps are not carried out,"
                + " nothing is committed, and the files written so far stay in the working tree."})
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    CcpCommand root;

    @Parameters(paramLabel = "RECIPE", description = "The recipe's name: .ccp/recipes/RECIPE.json in the workspace.")
    String recipe;

    @Option(names = "--approve", paramLabel = "all|policy|none", defaultValue = "policy",
            description = "Which steps wait for a person: all, those the policy asks about (default), or none beyond the policy.")
    String approve;

    @Option(names = "--detach", description = "Ask nothing here: the steps that wait are decided on the web, in an editor"
            + " or in chat (needs a login); this command carries them out as the decisions come.")
    boolean detach;

    @Option(names = "--no-ide", description = "Serve no editor bridge. By default an editor on this machine (such as the CCP"
            + " extension for VS Code) finds this run through a file in $XDG_RUNTIME_DIR/ccp/ide, shows its steps and diffs,"
            + " and decides them; see docs/ide-protocol.md.")
    boolean noIde;

    @Option(names = "-C", paramLabel = "DIR", description = "Run in the git workspace of DIR instead of the current folder.")
    Path dir;

    /** The bridge for the editors, or null when it cannot start: the run goes on without it. */
    private static IdeBridge bridge(Context context, Path top, Run run) {
        try {
            return IdeBridge.start(context.env(), top, context.clock(), run);
        } catch (IOException | RuntimeException e) {
            context.err().println("ccp: no editor can follow this run (" + e.getMessage() + "); it goes on in this terminal");
            return null;
        }
    }

    @Override
    public Integer call() {
        ApprovalMode mode = ApprovalMode.parse(approve);
        RecipeFiles.checkName(recipe);
        Context context = root.context;
        try (CcpClient client = root.client()) {
            if (detach && client.account().isEmpty()) {
                throw new CliException(ExitCodes.NOT_LOGGED_IN, "ccp: --detach leaves the decisions to the web, an editor or chat,"
                        + " which needs a login — run `ccp login`, or leave out --detach");
            }
            Path start = dir != null ? dir : Path.of("").toAbsolutePath();
            WorkspaceRef workspace = RecipeFiles.workspace(client, start, "run `ccp run` in a git workspace, or pass -C DIR");
            Path top = Path.of(workspace.root());
            Recipe steps = RecipeFiles.read(top, recipe, "write one, or pass the name of one there");
            RunOptions options = RunOptions.of(steps.title(), top).withApproval(mode).withSource("terminal");
            if (!detach) {
                options = options.withApprover(new TerminalApprover(context));
            }
            try (Run run = client.runs().start(options)) {
                if (detach && !run.mirrored()) {
                    throw new CliException(ExitCodes.UNREACHABLE, "ccp: the run could not be started on the server, where a detached"
                            + " run is decided — check the network, or leave out --detach");
                }
                context.out().println("Run " + run.id() + ": " + steps.title() + " (" + steps.steps().size() + " steps"
                        + (run.mirrored() ? ", follow it at " + client.server().map(s -> s + "/runs/" + run.id()).orElse("") : ", on this machine only")
                        + ")");
                try (IdeBridge bridge = noIde ? null : bridge(context, top, run)) {
                    return new RecipeRun(context, run, top, detach).execute(steps);
                }
            }
        }
    }
}
