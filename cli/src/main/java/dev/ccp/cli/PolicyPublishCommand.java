package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import dev.ccp.spi.wire.PolicyVersionView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ccp policy publish --channel dev FILE}: a new version of the org's policy (owners and admins). */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publish a ccp.policy/v1 document as the channel's next version (owners and admins).")
final class PolicyPublishCommand implements Callable<Integer> {

    @ParentCommand
    PolicyCommand parent;

    @Option(names = "--channel", paramLabel = "dev|prod", defaultValue = "dev", description = "The channel (default: dev).")
    String channel;

    @Parameters(paramLabel = "FILE", description = "The JSON document, or - for standard input.")
    String file;

    @Override
    public Integer call() {
        String document = read();
        PolicyVersionView published;
        try (CcpClient client = parent.client(false)) {
            published = client.publishPolicy(PolicyCommand.channel(channel), document);
        }
        if (Boolean.FALSE.equals(published.created())) {
            parent.context().out().println(channel + " already serves this document as version " + published.version()
                    + "; nothing was published");
        } else {
            parent.context().out().println("Published " + channel + " version " + published.version()
                    + " (sha256 " + published.digest().substring(0, 12) + "…)");
        }
        return ExitCodes.OK;
    }

    private String read() {
        try {
            byte[] bytes = "-".equals(file) ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "ccp: cannot read " + file + ": " + e.getMessage()
                    + " — pass the path of a JSON policy document");
        }
    }
}
