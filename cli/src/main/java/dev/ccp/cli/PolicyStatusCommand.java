package dev.ccp.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccp.sdk.CcpClient;
import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.PolicyClient;
import dev.ccp.sdk.PolicyStatus;
import dev.ccp.spi.wire.Json;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ccp policy status}: the policy in force and where it came from. Loads the verified cache,
 * then asks the server once (unless {@code --offline}); a server that cannot be reached leaves the
 * cached pack in force, reported with source {@code cache}.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the channel, version and source of the policy in force.")
final class PolicyStatusCommand implements Callable<Integer> {

    @ParentCommand
    PolicyCommand parent;

    @Option(names = "--channel", paramLabel = "dev|prod", description = "A channel other than the one followed.")
    String channel;

    @Option(names = "--offline", description = "Do not contact the server; show the cached policy only.")
    boolean offline;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PolicyStatus status;
        try (CcpClient client = parent.client(offline)) {
            PolicyClient policy = PolicyCommand.policy(client, channel == null ? null : PolicyCommand.channel(channel));
            if (!offline && client.account().isPresent()) {
                try {
                    policy.reload();
                } catch (CcpException e) {
                    // Reported below through the status, with the pack that stays in force.
                }
            }
            status = policy.status();
        }
        PrintStream out = parent.context().out();
        if (json) {
            out.println(Json.lenient().writerWithDefaultPrettyPrinter().writeValueAsString(toJson(status)));
        } else {
            print(out, status);
        }
        if (status.state() != PolicyStatus.State.FAILED) {
            return ExitCodes.OK;
        }
        CcpException.Kind kind = status.errorKind() == null ? CcpException.Kind.NOT_FOUND : status.errorKind();
        String why = status.lastError() == null ? "no policy in force for " + status.channel() : status.lastError();
        parent.context().err().println(Failures.line(new CcpException(kind, why)));
        return ExitCodes.of(kind);
    }

    private static void print(PrintStream out, PolicyStatus s) {
        out.println("Policy " + s.channel() + ": " + (s.hasPolicy() ? "version " + s.version() + " from "
                + lower(s.source()) : "none in force"));
        Rows.row(out, 13, "State", lower(s.state()));
        Rows.row(out, 13, "Fetched", text(s.fetchedAt()));
        Rows.row(out, 13, "Expires", text(s.expiresAt()));
        Rows.row(out, 13, "Last success", text(s.lastSuccess()));
        if (s.lastError() != null) {
            Rows.row(out, 13, "Last error", s.lastError());
        }
    }

    static ObjectNode toJson(PolicyStatus s) {
        ObjectNode node = Json.lenient().createObjectNode();
        node.put("channel", s.channel());
        node.put("version", s.version());
        node.put("source", s.source() == null ? null : lower(s.source()));
        node.put("fetched_at", text(s.fetchedAt(), null));
        node.put("expires_at", text(s.expiresAt(), null));
        node.put("last_success", text(s.lastSuccess(), null));
        node.put("last_error", s.lastError());
        node.put("state", s.state().name());
        return node;
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static String text(Instant at) {
        return text(at, "-");
    }

    private static String text(Instant at, String none) {
        return at == null ? none : at.toString();
    }
}
