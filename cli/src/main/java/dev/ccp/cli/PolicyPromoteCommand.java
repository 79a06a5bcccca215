package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import dev.ccp.spi.wire.PolicyVersionView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ccp policy promote VERSION}: a dev version becomes prod's next version (owners and admins). */
@Command(name = "promote", mixinStandardHelpOptions = true,
        description = "Make a dev version the next prod version (owners and admins).")
final class PolicyPromoteCommand implements Callable<Integer> {

    @ParentCommand
    PolicyCommand parent;

    @Parameters(paramLabel = "VERSION", description = "The dev version to promote.")
    long version;

    @Override
    public Integer call() {
        if (version < 1) {
            throw new CliException(ExitCodes.USAGE, "ccp: versions start at 1 — see them with `ccp policy history --channel dev`");
        }
        PolicyVersionView promoted;
        try (CcpClient client = parent.client(false)) {
            promoted = client.promotePolicy(version);
        }
        parent.context().out().println(Boolean.FALSE.equals(promoted.created())
                ? "prod already serves dev version " + version + " as version " + promoted.version() + "; nothing was promoted"
                : "Promoted dev version " + version + " to prod version " + promoted.version());
        return ExitCodes.OK;
    }
}
