package dev.ccp.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccp.sdk.Account;
import dev.ccp.sdk.CcpClient;
import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.License;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.LicenseStatusResponse;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ccp status}: the server's view (unless offline), then the local pack verified offline. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the plan, features, seat and expiry of this machine's license.")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    CcpCommand root;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--offline", description = "Do not contact the server; verify the stored license only.")
    boolean offline;

    /**
     * {@code ccp status} with nothing but its own switches, each at most once, read without picocli:
     * building picocli's model of even this one command (annotations read by reflection, a proxy
     * class made for each annotation type) was half of what {@code ccp status --offline} cost, and it
     * is the command people and prompts run most. Null for any other command line, which picocli
     * reads, with its help and its errors.
     */
    static StatusCommand plain(Context context, String... args) {
        if (args.length == 0 || !args[0].equals("status")) {
            return null;
        }
        StatusCommand status = new StatusCommand();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--json") && !status.json) {
                status.json = true;
            } else if (args[i].equals("--offline") && !status.offline) {
                status.offline = true;
            } else {
                return null;
            }
        }
        status.root = new CcpCommand(context);
        return status;
    }

    @Override
    public Integer call() throws Exception {
        CcpClient client = root.client();
        Account account = client.account().orElseThrow(() -> new CcpException(CcpException.Kind.NOT_LOGGED_IN, "not logged in"));
        LicenseStatusResponse server = offline ? null : client.serverStatus();
        License license = client.license();
        PrintStream out = root.context.out();
        if (json) {
            out.println(Json.lenient().writerWithDefaultPrettyPrinter().writeValueAsString(toJson(account, license, server)));
        } else {
            print(out, account, license, server);
        }
        int code = ExitCodes.of(license.status());
        if (code != ExitCodes.OK) {
            root.context.err().println(Failures.line(license));
        }
        return code;
    }

    private static void print(PrintStream out, Account account, License license, LicenseStatusResponse server) {
        out.println("Logged in as " + account.login() + " to org " + account.org() + " on " + account.server());
        Rows.row(out, 12, "Plan", license.plan().orElse("-"));
        Rows.row(out, 12, "Features", features(license));
        Rows.row(out, 12, "Org", license.org().orElse("-"));
        Rows.row(out, 12, "Seat", license.seat().orElse("-"));
        Rows.row(out, 12, "Expires", license.expiresAt().map(Instant::toString).orElse("-"));
        Rows.row(out, 12, "Grace until", license.graceUntil().map(Instant::toString).orElse("-"));
        Rows.row(out, 12, "License", Failures.label(license) + " (" + license.detail() + ")");
        Rows.row(out, 12, "Server", server == null ? "not asked (--offline)" : server.state()
                + (server.message() == null ? "" : " — " + server.message()));
    }

    /** The features that are on, with the value of those that are not plain switches. */
    private static String features(License license) {
        if (license.claims() == null) {
            return "-";
        }
        String on = new TreeMap<>(license.claims().entitlements()).entrySet().stream()
                .filter(e -> !Boolean.FALSE.equals(e.getValue()) && !"none".equals(e.getValue()))
                .map(e -> Boolean.TRUE.equals(e.getValue()) ? e.getKey() : e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
        return on.isEmpty() ? "none" : on;
    }

    private static ObjectNode toJson(Account account, License license, LicenseStatusResponse server) {
        ObjectNode node = Json.lenient().createObjectNode();
        node.put("login", account.login());
        node.put("server", account.server().toString());
        node.put("org", license.org().orElse(account.org()));
        node.put("plan", license.plan().orElse(null));
        Map<String, Object> entitlements = license.claims() == null ? Map.of() : new TreeMap<>(license.claims().entitlements());
        node.set("entitlements", Json.lenient().valueToTree(entitlements));
        node.put("seat", license.seat().orElse(null));
        node.put("expires_at", license.expiresAt().map(Instant::toString).orElse(null));
        node.put("grace_until", license.graceUntil().map(Instant::toString).orElse(null));
        node.put("state", license.status().name().toLowerCase(Locale.ROOT));
        node.put("detail", license.detail());
        node.put("server_state", server == null ? null : server.state());
        return node;
    }
}
