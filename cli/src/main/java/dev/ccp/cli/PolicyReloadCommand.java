package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import dev.ccp.sdk.PolicyReload;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ccp policy reload}: asks the server now and says what changed. */
@Command(name = "reload", mixinStandardHelpOptions = true, description = "Fetch the policy now and say what changed.")
final class PolicyReloadCommand implements Callable<Integer> {

    @ParentCommand
    PolicyCommand parent;

    @Option(names = "--channel", paramLabel = "dev|prod", description = "A channel other than the one followed.")
    String channel;

    @Override
    public Integer call() {
        PolicyReload reload;
        try (CcpClient client = parent.client(false)) {
            reload = PolicyCommand.policy(client, channel == null ? null : PolicyCommand.channel(channel)).reload();
        }
        Long now = reload.status().version();
        String name = reload.status().channel();
        if (!reload.changed()) {
            parent.context().out().println(name + ": version " + now + ", unchanged");
        } else if (reload.previousVersion() == null) {
            parent.context().out().println(name + ": version " + now + " is now in force");
        } else {
            parent.context().out().println(name + ": version " + reload.previousVersion() + " → " + now
                    + (reload.sections().isEmpty() ? "" : " (changed: " + String.join(", ", reload.sections()) + ")"));
        }
        return ExitCodes.OK;
    }
}
