package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import dev.ccp.spi.runs.Decision;
import dev.ccp.spi.wire.RunEvents;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.StepView;
import dev.ccp.spi.wire.WorkspaceRef;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ccp ide}: the editor bridge for the runs of this workspace on the server — started on the
 * web, in chat, by a runner or by a tool on another machine — until interrupted.
 */
@Command(name = "ide", mixinStandardHelpOptions = true,
        description = {"Serve the editor bridge (docs/ide-protocol.md) for this git workspace's runs on the server, so that an"
                + " editor on this machine (such as the CCP extension for VS Code) shows their steps and diffs and decides them.",
                "Runs until interrupted. `ccp run` serves its own run this way without this command."})
final class IdeCommand implements Callable<Integer> {

    /** The most runs of the org an editor is shown, newest first, before those of other workspaces are left out. */
    static final int RECENT = 100;

    @ParentCommand
    CcpCommand root;

    @Option(names = "-C", paramLabel = "DIR", description = "Serve the git workspace of DIR instead of the current folder.")
    Path dir;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Context context = root.context;
        try (CcpClient client = root.client()) {
            if (client.account().isEmpty()) {
                throw new CliException(ExitCodes.NOT_LOGGED_IN, "ccp: ccp ide serves the runs of the server you are logged in to"
                        + " — run `ccp login` first");
            }
            Path start = dir != null ? dir : Path.of("").toAbsolutePath();
            WorkspaceRef workspace = RecipeFiles.workspace(client, start, "run `ccp ide` in a git workspace, or pass -C DIR");
            CountDownLatch stopped = new CountDownLatch(1);
            try (IdeBridge bridge = IdeBridge.start(context.env(), Path.of(workspace.root()), context.clock(), new Server(client, workspace))) {
                Thread stop = new Thread(stopped::countDown, "ccp-ide-stop");
                Runtime.getRuntime().addShutdownHook(stop);
                context.out().println("Serving the runs of " + workspace.name() + " on " + client.server().map(Object::toString).orElse("the server")
                        + " to editors on this machine (port " + bridge.port() + "); stop with Ctrl-C");
                stopped.await();
            }
        }
        return ExitCodes.OK;
    }

    /** The workspace's runs on the server: same repository root on this machine, or the same workspace name. */
    static final class Server implements IdeBridge.Source {
        private final CcpClient client;
        private final WorkspaceRef workspace;

        Server(CcpClient client, WorkspaceRef workspace) {
            this.client = client;
            this.workspace = workspace;
        }

        @Override
        public List<RunView> list() {
            return client.runs().list(null, RECENT).stream().filter(this::ours).toList();
        }

        @Override
        public RunView view(String id) {
            RunView run = client.runs().get(id);
            if (!ours(run)) {
                throw new IllegalArgumentException("run " + id + " is of workspace " + run.workspace().name() + ", not " + workspace.name());
            }
            return run;
        }

        @Override
        public RunEvents events(String id, long after, Duration wait) {
            view(id);
            return client.runs().events(id, after, wait);
        }

        @Override
        public StepView decide(String id, int n, Decision decision) {
            view(id);
            return client.runs().decide(id, n, decision);
        }

        private boolean ours(RunView run) {
            WorkspaceRef theirs = run.workspace();
            return theirs != null && (workspace.root().equals(theirs.root()) || workspace.name().equals(theirs.name()));
        }
    }
}
