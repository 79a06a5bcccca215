package dev.ccp.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ccp export}: what this machine sends to the server. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Send this machine's usage to the server.",
        subcommands = {ExportRollupsCommand.class})
final class ExportCommand implements Runnable {

    @ParentCommand
    CcpCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(root.context.out());
    }
}
