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
        description = "Log in to a CCP server, check the license of this machine, manage its usage data, follow its org's policy"
                + " and run recipes under it.",
        footer = {"", "Environment:",
                "  CCP_HOME    where credentials, license, pins and the usage store live",
                "              (default: ~/.config/ccp, and ~/.local/share/ccp for the usage store)",
                "  CCP_SERVER  the server, when --server is not given",
                "  CCP_RUNNER_TOKEN  a runner's token, for `ccp runner start`",
                "  CCP_DEBUG   print stack traces of failures"})
final class CcpCommand implements Runnable {

    /**
     * The commands, in the order help lists them. Registered by {@link Main#commandLine}: all of them
     * for help and completion, only the one named for a run, because building picocli's model of the
     * whole tree was most of what a short command cost.
     */
    static final java.util.Map<String, Class<?>> COMMANDS = orderedCommands();

    private static java.util.Map<String, Class<?>> orderedCommands() {
        java.util.Map<String, Class<?>> commands = new java.util.LinkedHashMap<>();
        commands.put("login", LoginCommand.class);
        commands.put("status", StatusCommand.class);
        commands.put("token", TokenCommand.class);
        commands.put("logout", LogoutCommand.class);
        commands.put("org", OrgCommand.class);
        commands.put("github", GitHubCommand.class);
        commands.put("upgrade", UpgradeCommand.class);
        commands.put("export", ExportCommand.class);
        commands.put("db", DbCommand.class);
        commands.put("policy", PolicyCommand.class);
        commands.put("audit", AuditCommand.class);
        commands.put("run", RunCommand.class);
        commands.put("runs", RunsCommand.class);
        commands.put("runner", RunnerCommand.class);
        commands.put("ide", IdeCommand.class);
        commands.put("completion", CompletionCommand.class);
        return java.util.Collections.unmodifiableMap(commands);
    }

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
        public String[] getVersion() {
            return new String[] {text()};
        }

        static String text() {
            try (InputStream in = CcpCommand.class.getResourceAsStream("version.txt")) {
                return "ccp " + (in == null ? "unknown" : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                return "ccp unknown";
            }
        }
    }
}
