package dev.ccp.sdk.testing;

import com.sun.net.httpserver.HttpExchange;
import dev.ccp.spi.wire.GitHubInstallationView;
import dev.ccp.spi.wire.Problem;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The GitHub App endpoints of {@link FakeCcpServer}, as {@code docs/github-app.md} describes them:
 * owners and admins list the installations connected to their org, connect one that GitHub knows
 * and disconnect one of theirs; one connected to another org is refused (409), and a server without
 * the app answers 503.
 */
public final class FakeGitHub {

    private final FakeCcpServer server;

    /** The installations GitHub knows, by id: the account each is installed on. */
    public final Map<Long, String> installed = new ConcurrentHashMap<>();
    /** The org each connected installation belongs to, by id. */
    public final Map<Long, String> connectedTo = new ConcurrentHashMap<>();
    /** When set, the server has no GitHub App configured: connecting answers 503. */
    public volatile boolean noApp;

    FakeGitHub(FakeCcpServer server) {
        this.server = server;
    }

    /** Answers a call to the org's installations; false when {@code path} is not one. */
    boolean handle(HttpExchange exchange, String method, String path) throws IOException {
        String prefix = "/v1/orgs/" + server.org + "/github/installations";
        if (!path.equals(prefix) && !path.startsWith(prefix + "/")) {
            return false;
        }
        if (server.adminOnly) {
            FakeCcpServer.problem(exchange, Problem.of(403, "forbidden", "Forbidden",
                    "only owners and admins of " + server.org + " connect GitHub installations"));
        } else if (method.equals("GET") && path.equals(prefix)) {
            List<GitHubInstallationView> list = connectedTo.entrySet().stream()
                    .filter(e -> e.getValue().equals(server.org))
                    .map(e -> new GitHubInstallationView(e.getKey(), installed.get(e.getKey()), true))
                    .sorted((a, b) -> Long.compare(a.id(), b.id()))
                    .toList();
            FakeCcpServer.json(exchange, 200, list);
        } else if (method.equals("POST") && path.matches(java.util.regex.Pattern.quote(prefix) + "/[0-9]{1,18}")) {
            connect(exchange, Long.parseLong(path.substring(prefix.length() + 1)));
        } else if (method.equals("DELETE") && path.matches(java.util.regex.Pattern.quote(prefix) + "/[0-9]{1,18}")) {
            long id = Long.parseLong(path.substring(prefix.length() + 1));
            if (connectedTo.remove(id, server.org)) {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            } else {
                FakeCcpServer.problem(exchange, Problem.of(404, "not-found", "Not found",
                        "GitHub installation " + id + " is not connected to this org"));
            }
        } else {
            FakeCcpServer.problem(exchange, Problem.of(404, "not-found", "Not found", method + " " + path));
        }
        return true;
    }

    private void connect(HttpExchange exchange, long id) throws IOException {
        if (noApp) {
            FakeCcpServer.problem(exchange, Problem.of(503, "github-app-missing", "GitHub App not configured",
                    "this server has no CCP_GITHUB_APP_ID and CCP_GITHUB_PRIVATE_KEY, so it cannot ask GitHub about installations"));
            return;
        }
        String account = installed.get(id);
        if (account == null) {
            FakeCcpServer.problem(exchange, Problem.of(404, "not-found", "Not found",
                    "GitHub knows no installation " + id + " of this app; install the app on GitHub first"));
            return;
        }
        String owner = connectedTo.get(id);
        if (owner != null && !owner.equals(server.org)) {
            FakeCcpServer.problem(exchange, Problem.of(409, "github-installation-taken", "Installation connected elsewhere",
                    "GitHub installation " + id + " is connected to another CCP org; an owner or admin there disconnects it first"));
            return;
        }
        connectedTo.put(id, server.org);
        FakeCcpServer.json(exchange, 200, new GitHubInstallationView(id, account, true));
    }
}
