package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ccp policy use dev|prod}: which channel this machine follows. */
@Command(name = "use", mixinStandardHelpOptions = true, description = "Follow the dev or the prod channel from now on.")
final class PolicyUseCommand implements Callable<Integer> {

    @ParentCommand
    PolicyCommand parent;

    @Parameters(paramLabel = "dev|prod", description = "The channel to follow.")
    String channel;

    @Override
    public Integer call() {
        try (CcpClient client = parent.client(true)) {
            client.usePolicyChannel(PolicyCommand.channel(channel));
        }
        parent.context().out().println("Following the " + channel + " policy channel; run `ccp policy reload` to fetch it now");
        return ExitCodes.OK;
    }
}
