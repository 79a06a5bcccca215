package dev.ccp.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code ccp completion}: a bash (and zsh, through bashcompinit) completion script. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a bash completion script: source <(ccp completion)")
final class CompletionCommand implements Callable<Integer> {

    @ParentCommand
    CcpCommand root;

    @Override
    public Integer call() {
        // The run registered this command alone; completion is for all of them.
        root.context.out().print(AutoComplete.bash("ccp", Main.commandLine(root.context)));
        return ExitCodes.OK;
    }
}
