package dev.ccp.examples;

import dev.ccp.sdk.CcpClient;
import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.DeviceCode;
import dev.ccp.sdk.License;
import dev.ccp.sdk.LoginListener;
import dev.ccp.sdk.LoginOptions;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;

/**
 * {@code offload-tool --server URL [--home DIR]}: a tool that may send large requests to Z.ai models
 * only when its user's plan includes {@code zai_offload}.
 */
public final class OffloadTool {

    private OffloadTool() {
    }

    public static void main(String[] args) {
        URI server = null;
        Path home = Path.of(System.getProperty("user.home"), ".offload-tool");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--server" -> server = URI.create(args[i + 1]);
                case "--home" -> home = Path.of(args[i + 1]);
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
        System.exit(run(server, home, OffloadTool::show, System.out));
    }

    /** The whole tool: log in if needed, check the entitlement offline, say what it found. */
    public static int run(URI server, Path home, LoginListener listener, PrintStream out) {
        CcpClient ccp = CcpClient.builder().server(server).home(home).clientId("offload-tool").build();
        try {
            if (ccp.account().isEmpty()) {
                ccp.login(LoginOptions.of(listener));
            }
            License license = ccp.currentLicense();
            out.println("license: " + license.status() + ", plan " + license.plan().orElse("none")
                    + ", org " + license.org().orElse("none"));
            out.println(license.entitled("zai_offload")
                    ? "offload to Z.ai: on"
                    : "offload to Z.ai: off (the Pro and Team plans include it)");
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
