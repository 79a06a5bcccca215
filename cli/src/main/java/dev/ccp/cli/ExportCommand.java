package dev.ccp.cli;

import picocli.CommandLine.Command;

/** {@code ccp export}: what this machine sends to the server. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Send this machine's usage to the server.",
        subcommands = {ExportRollupsCommand.class})
final class ExportCommand extends CommandGroup {
}
