package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import dev.ccp.sdk.DeviceCode;
import dev.ccp.sdk.LoginListener;
import dev.ccp.sdk.LoginOptions;
import dev.ccp.sdk.LoginResult;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ccp login}: the device flow, shown the way {@code gh auth login} shows it. */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = "Log in with a one-time code approved in the browser, and fetch this machine's license.")
final class LoginCommand implements Callable<Integer> {

    @ParentCommand
    CcpCommand root;

    @Option(names = "--org", paramLabel = "SLUG", description = "The org to log in to (default: your default org).")
    String org;

    @Option(names = "--no-browser", description = "Do not open a browser; print the URL only.")
    boolean noBrowser;

    @Option(names = "--invite", paramLabel = "LINK", description = "Join an org with an invite link as you log in: "
            + "the browser page has it filled in, and approving joins its org.")
    String invite;

    @Option(names = "--repin", description = "Accept and pin license keys that differ from the pinned ones "
            + "(only after the server's operator confirmed a key rotation).")
    boolean repin;

    @Override
    public Integer call() {
        CcpClient client = root.client();
        if (client.server().isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "ccp: no server — pass --server URL or set CCP_SERVER");
        }
        PrintStream out = root.context.out();
        LoginOptions options = LoginOptions.of(new Printer(out)).withRepin(repin);
        if (org != null) {
            options = options.withOrg(org);
        }
        LoginResult result = client.login(options);
        String plan = result.plan() != null ? "plan " + result.plan()
                : "no seat: ask an owner or admin of the org for one";
        out.println("✓ Logged in as " + result.login() + " to org " + result.org() + " (" + plan + ")");
        return ExitCodes.OK;
    }

    /** Shows the code, opens the browser, and reports pinned keys. */
    private final class Printer implements LoginListener {
        private final PrintStream out;

        Printer(PrintStream out) {
            this.out = out;
        }

        @Override
        public void onCode(DeviceCode code) {
            out.println("! First copy your one-time code: " + code.userCode());
            out.println("Open this URL in your browser: " + code.verificationUri());
            if (code.verificationUriComplete() != null) {
                out.println("  (or open " + code.verificationUriComplete() + " to skip typing the code)");
            }
            Optional<URI> page = code.browserUri().map(this::withInvite);
            if (invite != null && page.isPresent()) {
                out.println("  With your invite: " + page.get());
            }
            if (page.isEmpty()) {
                out.println("! Not opening a browser: the server sent a link that is not an http(s) page on "
                        + code.server() + "; check it before you open it");
            } else if (!noBrowser && root.context.browser().open(page.get())) {
                out.println("Opened your browser.");
            }
            out.println("Waiting for approval…");
        }

        /** The page with the invite link filled in, so that approving joins its org. */
        private URI withInvite(URI page) {
            if (invite == null || invite.isBlank()) {
                return page;
            }
            return URI.create(page + (page.getRawQuery() == null ? "?" : "&") + "invite="
                    + java.net.URLEncoder.encode(invite.strip(), java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void onServerUnavailable(String reason, java.time.Duration retryIn) {
            out.println("… " + reason + "; asking again in " + Math.max(1, retryIn.toSeconds()) + " s");
        }

        @Override
        public void onKeysPinned(List<String> fingerprints) {
            out.println("! Pinned the server's signing keys (first login to this server); compare them with "
                    + "what the server's operator publishes:");
            fingerprints.forEach(f -> out.println("  " + f));
        }
    }
}
