package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import dev.ccp.spi.wire.GitHubInstallationView;
import dev.ccp.spi.wire.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ccp github}: the GitHub reviewer bot's installations of an org, for its owners and admins. */
@Command(name = "github", mixinStandardHelpOptions = true,
        description = "Connect installations of the GitHub App to an org, whose prod policy then reviews their pull requests,"
                + " list them and disconnect them (owners and admins).",
        subcommands = {GitHubCommand.Connect.class, GitHubCommand.List.class, GitHubCommand.Disconnect.class})
final class GitHubCommand extends OrgScopedCommand {
    @Command(name = "connect", mixinStandardHelpOptions = true,
            description = "Connect an installation of the GitHub App to the org: its pull requests are reviewed with the org's"
                    + " prod policy. An installation connected to another org is refused.")
    static final class Connect implements Callable<Integer> {
        @ParentCommand
        GitHubCommand parent;

        @Parameters(paramLabel = "INSTALLATION_ID",
                description = "The installation's id: in its settings URL on GitHub, and the setup redirect's installation_id.")
        long id;

        @Override
        public Integer call() {
            CcpClient client = parent.client();
            String org = parent.org(client);
            GitHubInstallationView installation = client.connectGitHubInstallation(org, id);
            parent.out().println("Connected GitHub installation " + installation.id() + " (" + installation.account() + ") to org " + org
                    + ": its pull requests are reviewed with the org's prod policy.");
            return ExitCodes.OK;
        }
    }

    @Command(name = "disconnect", mixinStandardHelpOptions = true,
            description = "Disconnect an installation of the GitHub App from the org: its pull requests are no longer reviewed,"
                    + " and another org may connect it. The app stays installed on GitHub.")
    static final class Disconnect implements Callable<Integer> {
        @ParentCommand
        GitHubCommand parent;

        @Parameters(paramLabel = "INSTALLATION_ID", description = "The installation's id, as `ccp github list` shows it.")
        long id;

        @Override
        public Integer call() {
            CcpClient client = parent.client();
            String org = parent.org(client);
            client.disconnectGitHubInstallation(org, id);
            parent.out().println("Disconnected GitHub installation " + id + " from org " + org
                    + ": its pull requests are no longer reviewed. Uninstall the app on GitHub to remove it there too.");
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the GitHub App installations connected to the org.")
    static final class List implements Callable<Integer> {
        @ParentCommand
        GitHubCommand parent;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            CcpClient client = parent.client();
            String org = parent.org(client);
            java.util.List<GitHubInstallationView> installations = client.gitHubInstallations(org);
            if (json) {
                parent.out().println(Json.lenient().writerWithDefaultPrettyPrinter().writeValueAsString(installations));
                return ExitCodes.OK;
            }
            if (installations.isEmpty()) {
                parent.out().println("No GitHub installations connected to " + org
                        + " — connect one with `ccp github connect INSTALLATION_ID`");
                return ExitCodes.OK;
            }
            int idWidth = Math.max(2, installations.stream().mapToInt(i -> Long.toString(i.id()).length()).max().orElse(0));
            int accountWidth = Math.max(7, installations.stream().mapToInt(i -> String.valueOf(i.account()).length()).max().orElse(0));
            String format = "%-" + idWidth + "s  %-" + accountWidth + "s  %s%n";
            parent.out().printf(format, "ID", "ACCOUNT", "STATUS");
            for (GitHubInstallationView i : installations) {
                parent.out().printf(format, i.id(), i.account(), i.connected() ? "connected" : "not connected");
            }
            return ExitCodes.OK;
        }
    }
}
