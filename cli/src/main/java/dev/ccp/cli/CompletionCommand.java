package dev.ccp.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ccp completion}: a bash (and zsh, through bashcompinit) completion script. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a bash completion script: source <(ccp completion)")
final class CompletionCommand implements Callable<Integer> {

    @ParentCommand
    CcpCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        root.context.out().print(AutoComplete.bash("ccp", spec.root().commandLine()));
        return ExitCodes.OK;
    }
}
