package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import dev.ccp.spi.wire.RunnerView;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ccp runner}: machines that carry out the runs queued on the server for one workspace. */
@Command(name = "runner", mixinStandardHelpOptions = true,
        description = "Register, list and revoke the org's runners, machines that carry out the runs queued on the server"
                + " (from the web, chat or the API) for one workspace, and start this machine as one.",
        subcommands = {RunnerCommand.Register.class, RunnerCommand.List.class, RunnerCommand.Revoke.class, RunnerStartCommand.class})
final class RunnerCommand extends CommandGroup {

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Register a runner for a workspace (owners and admins). Its token is shown only once: it is kept"
                    + " owner-only in CCP_HOME/runners/NAME.token, or printed with --print-token.")
    static final class Register implements Callable<Integer> {
        @ParentCommand
        RunnerCommand parent;

        @Option(names = "--workspace", required = true, paramLabel = "NAME",
                description = "The workspace's name, as runs name it: its folder's name.")
        String workspace;

        @Option(names = "--name", paramLabel = "MACHINE", description = "What people call the runner (default: this machine's host name).")
        String name;

        @Option(names = "--print-token", description = "Print the token on stdout instead of keeping it in a file, for a CI"
                + " secret; the rest goes to stderr.")
        boolean printToken;

        @Override
        public Integer call() {
            Context context = parent.root.context;
            try (CcpClient client = parent.root.client()) {
                RunnerView runner = client.runs().registerRunner(workspace, name != null ? name : hostName(context));
                String registered = "Registered runner " + runner.id() + " (" + runner.name() + ") for workspace " + runner.workspace();
                if (printToken) {
                    context.err().println(registered + "; its token, below, is shown only once");
                    context.out().println(runner.token());
                    return ExitCodes.OK;
                }
                Path file = client.runs().saveRunnerToken(runner);
                context.out().println(registered);
                context.out().println("Its token is in " + file + " (readable only by you); the server shows it only once."
                        + " Start it with `ccp runner start --workspace DIR` in a checkout of " + runner.workspace());
            }
            return ExitCodes.OK;
        }

        private static String hostName(Context context) {
            String name = context.env().get("HOSTNAME");
            if (name != null && !name.isBlank()) {
                return name.strip();
            }
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "runner";
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the org's runners (owners and admins).")
    static final class List implements Callable<Integer> {
        @ParentCommand
        RunnerCommand parent;

        @Override
        public Integer call() {
            try (CcpClient client = parent.root.client()) {
                java.util.List<RunnerView> runners = client.runs().runners();
                for (RunnerView r : runners) {
                    parent.root.context.out().println(r.id() + "  " + r.workspace() + "  " + r.name() + "  "
                            + (r.revoked() ? "revoked" : r.lastSeenAt() == null ? "never seen" : "last seen " + r.lastSeenAt()));
                }
                if (runners.isEmpty()) {
                    parent.root.context.out().println("No runners — register one with `ccp runner register --workspace NAME`");
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a runner (owners and admins): its token stops working at once.")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        RunnerCommand parent;

        @Parameters(paramLabel = "ID", description = "The runner, as `ccp runner list` shows it.")
        String id;

        @Override
        public Integer call() {
            try (CcpClient client = parent.root.client()) {
                client.runs().revokeRunner(id);
                parent.root.context.out().println("Revoked runner " + id + ": its token no longer works");
            }
            return ExitCodes.OK;
        }
    }
}
