package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import picocli.CommandLine.Command;

/**
 * {@code ccp db}: the local usage store ({@code usage.mv.db} under CCP_HOME, else the XDG data folder).
 * Nothing here talks to the server.
 */
@Command(name = "db", mixinStandardHelpOptions = true,
        description = "Inspect, export, import and prune the local usage store.",
        subcommands = {DbStatusCommand.class, DbExportCommand.class, DbImportCommand.class, DbPruneCommand.class})
final class DbCommand extends CommandGroup {

    CcpClient client() {
        return root.client();
    }

    Context context() {
        return root.context;
    }
}
