package dev.ccp.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code ccp token}: a valid access token and nothing else, for scripts ({@code curl -H "Authorization: Bearer $(ccp token)"}). */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Print a valid access token (renewed when needed), for scripts.")
final class TokenCommand implements Callable<Integer> {

    @ParentCommand
    CcpCommand root;

    @Override
    public Integer call() {
        root.context.out().println(root.client().accessToken());
        return ExitCodes.OK;
    }
}
