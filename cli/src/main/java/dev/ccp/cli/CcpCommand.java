package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code ccp}: the top command. Holds what every subcommand shares: the context and {@code --server}. */
@Command(name = "ccp",
        mixinStandardHelpOptions = true,
        versionProvider = CcpCommand.Version.class,
        description = "Log in to a CCP server, check the license of this machine, manage its usage data and follow its org's policy.",
        subcommands = {LoginCommand.class, StatusCommand.class, TokenCommand.class, LogoutCommand.class,
                OrgCommand.class, UpgradeCommand.class, ExportCommand.class, DbCommand.class, PolicyCommand.class,
                CompletionCommand.class},
        footer = {"", "Environment:",
                "  CCP_HOME    where credentials, license, pins and the usage store live",
                "              (default: ~/.config/ccp, and ~/.local/share/ccp for the usage store)",
                "  CCP_SERVER  the server, when --server is not given",
                "  CCP_DEBUG   print stack traces of failures"})
final class CcpCommand implements Runnable {

    final Context context;

    @Spec
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "The CCP server, such as https://ccp.example.com.")
    String server;

    CcpCommand(Context context) {
        this.context = context;
    }

    CcpClient client() {
        return context.client(server);
    }

    @Override
    public void run() {
        spec.commandLine().usage(context.out());
    }

    /** The version Maven wrote into {@code version.txt}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            try (InputStream in = CcpCommand.class.getResourceAsStream("version.txt")) {
                String version = in == null ? "unknown" : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
                return new String[] {"ccp " + version};
            }
        }
    }
}
