package dev.ccp.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A command that only groups others ({@code ccp db}, {@code ccp runs}, …): run alone, it prints its help. */
abstract class CommandGroup implements Runnable {

    @ParentCommand
    CcpCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(root.context.out());
    }
}
