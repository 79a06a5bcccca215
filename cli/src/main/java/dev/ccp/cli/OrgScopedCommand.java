package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import dev.ccp.sdk.CcpException;
import java.io.PrintStream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * What the commands that administer one org share: the {@code --org} option every subcommand
 * inherits (default: the org logged in to), the client, and usage when no subcommand is named.
 */
abstract class OrgScopedCommand implements Runnable {

    @ParentCommand
    CcpCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--org", paramLabel = "SLUG", scope = ScopeType.INHERIT,
            description = "The org (default: the org logged in to).")
    String org;

    @Override
    public void run() {
        spec.commandLine().usage(root.context.out());
    }

    CcpClient client() {
        return root.client();
    }

    String org(CcpClient client) {
        if (org != null) {
            return org;
        }
        return client.account().map(a -> a.org())
                .orElseThrow(() -> new CcpException(CcpException.Kind.NOT_LOGGED_IN, "not logged in"));
    }

    PrintStream out() {
        return root.context.out();
    }
}
