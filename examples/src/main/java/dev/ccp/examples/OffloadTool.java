package dev.ccp.examples;

import dev.ccp.sdk.CcpClient;
import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.DeviceCode;
import dev.ccp.sdk.License;
import dev.ccp.sdk.LoginListener;
import dev.ccp.sdk.LoginOptions;
import dev.ccp.sdk.PolicyClient;
import dev.ccp.sdk.PolicyStatus;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;

/**
 * {@code offload-tool --server URL [--home DIR] [--keys JWKS_FILE]}: a tool that may send large
 * requests to Z.ai models only when its user's plan includes {@code zai_offload} and the org's policy
 * allows it.
 *
 * <p>A tool sold by the vendor ships the vendor's public license keys ({@code --keys}, here a file;
 * in a real tool a resource): then a user cannot swap in a key of their own and sign themselves a
 * plan. Without them the SDK pins the server's keys at first login, which suits a self-hosted server
 * whose operator and users are the same people.
 */
public final class OffloadTool {

    /** The Z.ai model this tool offloads to, and the size of request it would offload. */
    static final String OFFLOAD_MODEL = "glm-4.6";
    static final long LARGE_REQUEST = 20_000;

    private OffloadTool() {
    }

    public static void main(String[] args) {
        URI server = null;
        Path home = Path.of(System.getProperty("user.home"), ".offload-tool");
        String keys = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--server" -> server = URI.create(args[i + 1]);
                case "--home" -> home = Path.of(args[i + 1]);
                case "--keys" -> keys = read(Path.of(args[i + 1]));
                default -> {
                    System.err.println("usage: offload-tool --server URL [--home DIR]");
                    System.exit(2);
                }
            }
        }
        if (server == null) {
            System.err.println("usage: offload-tool --server URL [--home DIR]");
            System.exit(2);
        }
        System.exit(run(server, home, keys, OffloadTool::show, System.out));
    }

    private static String read(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            System.err.println("offload-tool: cannot read " + file + ": " + e.getMessage());
            System.exit(2);
            return null;
        }
    }

    /**
     * The whole tool: log in if needed, check the entitlement offline, say what it found.
     *
     * @param trustedKeys the vendor's license keys as a JWKS, or null to pin the server's
     */
    public static int run(URI server, Path home, String trustedKeys, LoginListener listener, PrintStream out) {
        var builder = CcpClient.builder().server(server).home(home).clientId("offload-tool");
        if (trustedKeys != null) {
            builder.trustedKeys(trustedKeys);
        }
        try (CcpClient ccp = builder.build()) {
            if (ccp.account().isEmpty()) {
                ccp.login(LoginOptions.of(listener));
            }
            License license = ccp.currentLicense();
            out.println("license: " + license.status() + ", plan " + license.plan().orElse("none")
                    + ", org " + license.org().orElse("none"));
            PolicyClient policy = ccp.policy();
            try {
                policy.reload();
            } catch (CcpException e) {
                // Nothing published, or the server is away: the status says so, and a cached pack stays in force.
            }
            PolicyStatus status = policy.status();
            out.println("policy: " + status.channel() + (status.hasPolicy()
                    ? " version " + status.version() + " (" + status.state() + ")" : ", none in force"));
            boolean allowed = policy.current().map(p -> p.mayOffload(OFFLOAD_MODEL, LARGE_REQUEST)).orElse(true);
            if (!license.entitled("zai_offload")) {
                out.println("offload to Z.ai: off (the Pro and Team plans include it)");
            } else if (!allowed) {
                out.println("offload to Z.ai: off (the org's policy does not allow it for " + OFFLOAD_MODEL + ")");
            } else {
                out.println("offload to Z.ai: on");
            }
            return license.granted() ? 0 : 1;
        } catch (CcpException e) {
            out.println("offload-tool: " + e.getMessage());
            return 1;
        }
    }

    private static void show(DeviceCode code) {
        System.out.println("Open " + code.verificationUri() + " and enter " + code.userCode());
    }
}
