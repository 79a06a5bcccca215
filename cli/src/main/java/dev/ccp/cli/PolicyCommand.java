package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import dev.ccp.sdk.PolicyClient;
import dev.ccp.spi.policy.PolicyPackCodec;
import picocli.CommandLine.Command;

/**
 * {@code ccp policy}: the org's signed policy on this machine (status, reload, which channel to follow)
 * and, for admins, publishing and promoting it.
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Show, reload and choose the org's policy; publish and promote it (admins).",
        subcommands = {PolicyStatusCommand.class, PolicyReloadCommand.class, PolicyUseCommand.class,
                PolicyPublishCommand.class, PolicyPromoteCommand.class, PolicyHistoryCommand.class})
final class PolicyCommand extends CommandGroup {

    CcpClient client(boolean offline) {
        return root.context.client(root.server, offline);
    }

    Context context() {
        return root.context;
    }

    /** The named channel, else the one this machine follows. */
    static PolicyClient policy(CcpClient client, String channel) {
        return channel == null ? client.policy() : client.policy(channel);
    }

    static String channel(String value) {
        if (!PolicyPackCodec.CHANNELS.contains(value)) {
            throw new CliException(ExitCodes.USAGE, "ccp: unknown channel '" + value + "' — the channels are dev and prod");
        }
        return value;
    }
}
