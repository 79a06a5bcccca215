package dev.ccp.server.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged WAR on a Payara Micro of its own, as an operator runs it: for the tests that need
 * more than one node, or a node that goes away. It inherits the test's environment (database,
 * operator token) with a data folder of its own and the keys folder the caller names.
 */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    final int port;
    final String base;

    private ServerProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.base = "http://127.0.0.1:" + port + "/";
    }

    static ServerProcess start(Path data, Path keys) throws IOException {
        return start(data, keys, Map.of());
    }

    /** A node with settings of its own on top of the test's environment, such as another database. */
    static ServerProcess start(Path data, Path keys, Map<String, String> settings) throws IOException {
        return start(data, keys, settings, freePort());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A node on a port of the caller's choosing: the one a node had before it was killed, say. */
    static ServerProcess start(Path data, Path keys, Map<String, String> settings, int port) throws IOException {
        Files.createDirectories(data);
        Path log = data.resolve("server-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-Xss1m", "-XX:TieredStopAtLevel=1",
                "-jar", System.getProperty("payara.microJar", "target/payara-micro.jar"),
                "--nocluster", "--nohostaware", "--prebootcommandfile", System.getProperty("ccp.preboot", "src/main/payara/pre-boot.asadmin"),
                "--deploy", System.getProperty("ccp.war", "target/ccp.war"),
                "--contextroot", "/", "--port", Integer.toString(port)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("CCP_DATA", data.toString());
        env.put("CCP_KEYS_DIR", keys.toString());
        env.putAll(settings);
        return new ServerProcess(builder.start(), log, port);
    }

    /** Waits until the node answers {@code /health/ready}. */
    ServerProcess ready() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server stopped while starting:\n" + tail());
            }
            try {
                HttpResponse<Void> answer = client.send(HttpRequest.newBuilder(URI.create(base + "health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the server did not become ready:\n" + tail());
    }

    Http http() {
        try {
            return new Http(new URL(base));
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** All the node has written to its log so far. */
    String log() throws IOException {
        return Files.readString(log);
    }

    String tail() {
        try {
            List<String> lines = log().lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 150), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Kills the node without warning (SIGKILL), as a crash or a pulled plug would. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** Stops the node as an operator would (SIGTERM), and waits for it to go. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
