package dev.ccp.server.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The certified npm package {@code oidc-provider}, run with Node.js as a real OpenID provider on a
 * free loopback port ({@code src/test/oidc/op.mjs}); installed with {@code npm ci} from the npm
 * registry into the build folder. Restarting it with a key id rotates its signing key.
 */
final class OpenIdProvider implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final String redirectUri;
    private Process process;

    private OpenIdProvider(Path dir, int port, String redirectUri) {
        this.dir = dir;
        this.port = port;
        this.redirectUri = redirectUri;
    }

    /**
     * Whether Node.js 20.12 or newer (which {@code oidc-provider} 9 needs) and npm are on this machine;
     * CI has them, a machine with only a JDK skips these tests.
     */
    static boolean available() {
        boolean onPath = Stream.of("node", "npm").allMatch(tool -> Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
                .anyMatch(p -> Files.isExecutable(Path.of(p, tool))));
        if (!onPath) {
            return false;
        }
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String version = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            node.waitFor(10, TimeUnit.SECONDS);
            java.util.regex.Matcher v = java.util.regex.Pattern.compile("v(\\d+)\\.(\\d+)").matcher(version);
            return v.find() && (Integer.parseInt(v.group(1)) > 20 || (Integer.parseInt(v.group(1)) == 20 && Integer.parseInt(v.group(2)) >= 12));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static OpenIdProvider start(String redirectUri) throws Exception {
        Path dir = Path.of("target", "oidc-op").toAbsolutePath();
        Files.createDirectories(dir);
        for (String file : List.of("op.mjs", "package.json", "package-lock.json")) {
            Files.copy(Path.of("src", "test", "oidc", file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(dir.resolve("node_modules").resolve("oidc-provider"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("npm.log").toFile()).start();
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new IllegalStateException("npm ci failed: " + Files.readString(dir.resolve("npm.log")));
            }
        }
        Files.deleteIfExists(dir.resolve("jwks.json"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        OpenIdProvider op = new OpenIdProvider(dir, port, redirectUri);
        op.run(null);
        return op;
    }

    String issuer() {
        return "http://127.0.0.1:" + port;
    }

    /** Stops the provider and starts it again with a new signing key in front of the old ones. */
    void rotate(String kid) throws Exception {
        stop();
        run(kid);
    }

    private void run(String rotateKid) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("node", "op.mjs").directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("PORT", Integer.toString(port));
        env.put("REDIRECT_URI", redirectUri);
        env.put("JWKS_FILE", dir.resolve("jwks.json").toString());
        if (rotateKid != null) {
            env.put("ROTATE_KID", rotateKid);
        }
        process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        // A thread of its own, not the common pool: on a 2-core machine that pool has one thread,
        // which another test's blocking task can hold past this wait.
        CompletableFuture<String> ready = new CompletableFuture<>();
        StringBuilder seen = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (!ready.isDone()) {
                        synchronized (seen) {
                            seen.append(line).append('\n');
                        }
                        if (line.startsWith("OP listening")) {
                            ready.complete(null);
                        }
                    }
                    // Keeps reading, so the provider never blocks on a full pipe.
                }
            } catch (IOException e) {
                synchronized (seen) {
                    seen.append(e);
                }
            }
            synchronized (seen) {
                ready.complete(seen.toString());
            }
        }, "openid-provider-output");
        reader.setDaemon(true);
        reader.start();
        String failed;
        try {
            failed = ready.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            synchronized (seen) {
                throw new IllegalStateException("the OpenID provider did not say it listens within 60 s; it wrote:\n" + seen, e);
            }
        }
        if (failed != null) {
            throw new IllegalStateException("the OpenID provider did not start:\n" + failed);
        }
    }

    private void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
