package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import dev.ccp.spi.wire.PolicyVersionView;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ccp policy history}: the versions of a channel, newest first (owners and admins). */
@Command(name = "history", mixinStandardHelpOptions = true, description = "List a channel's versions, newest first (owners and admins).")
final class PolicyHistoryCommand implements Callable<Integer> {

    @ParentCommand
    PolicyCommand parent;

    @Option(names = "--channel", paramLabel = "dev|prod", defaultValue = "dev", description = "The channel (default: dev).")
    String channel;

    @Override
    public Integer call() {
        List<PolicyVersionView> versions;
        try (CcpClient client = parent.client(false)) {
            versions = client.policyHistory(PolicyCommand.channel(channel));
        }
        if (versions.isEmpty()) {
            parent.context().out().println("Nothing has been published to " + channel + " yet");
        }
        for (PolicyVersionView v : versions) {
            parent.context().out().printf("  %-5s %s  %-12s %s%s%n", v.version(), v.publishedAt(), v.digest().substring(0, 12),
                    v.publishedBy(), v.promotedFrom() == null ? "" : "  (from dev " + v.promotedFrom() + ")");
        }
        return ExitCodes.OK;
    }
}
