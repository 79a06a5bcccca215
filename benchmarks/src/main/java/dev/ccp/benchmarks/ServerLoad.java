package dev.ccp.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.spi.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The HTTP side of the server load runs: a signed-in caller of a running server. */
final class ServerLoad {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    // HTTP/1.1 as curl and most clients speak it: the default h2c upgrade adds flow-control round trips per large body.
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    final String base;

    ServerLoad(String base) {
        this.base = base.endsWith("/") ? base : base + "/";
    }

    /** One caller per node, from the comma-separated base addresses the load run is given. */
    static List<ServerLoad> all(String bases) {
        List<ServerLoad> nodes = Arrays.stream(bases.split(",")).map(String::strip).filter(b -> !b.isEmpty()).map(ServerLoad::new).toList();
        require(!nodes.isEmpty(), "no server address in '" + bases + "'");
        return nodes;
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> form(String path, Map<String, String> fields, String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(fields)));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return send(request);
    }

    HttpResponse<String> get(String path, String bearer) throws IOException, InterruptedException {
        return send(getRequest(path, bearer));
    }

    HttpRequest.Builder getRequest(String path, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return request;
    }

    /** Median and p95 in nanoseconds of {@code runs} requests one after another, after {@code warmup} unmeasured ones. */
    long[] time(Supplier<HttpRequest.Builder> request, int status, int warmup, int runs) throws IOException, InterruptedException {
        warm(request, status, warmup);
        long[] took = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            HttpResponse<String> answer = send(request.get());
            took[i] = System.nanoTime() - start;
            require(answer.statusCode() == status, answer.request().uri() + " answered " + answer.statusCode());
        }
        Arrays.sort(took);
        return new long[] {took[runs / 2], took[(int) Math.ceil(runs * 0.95) - 1]};
    }

    /** {@code count} requests one after another, each expected to answer {@code status}, and not timed. */
    void warm(Supplier<HttpRequest.Builder> request, int status, int count) throws IOException, InterruptedException {
        for (int i = 0; i < count; i++) {
            HttpResponse<String> answer = send(request.get());
            require(answer.statusCode() == status, answer.request().uri() + " answered " + answer.statusCode());
        }
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    HttpResponse<String> postJson(String path, String bearer, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + bearer).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /**
     * Logs in through the device flow, approving the code on the verification page as a person would.
     *
     * @param org the org to log in to, or null for the person's own
     */
    String login(String login, String org) throws IOException, InterruptedException {
        Map<String, String> request = org == null ? Map.of("client_id", "ccp-bench") : Map.of("client_id", "ccp-bench", "org", org);
        JsonNode device = Json.lenient().readTree(form("oauth/device_authorization", request, null).body());
        String code = device.get("user_code").asText();
        HttpResponse<String> page = get("device?user_code=" + code, null);
        Matcher csrf = CSRF.matcher(page.body());
        if (!csrf.find()) {
            throw new IllegalStateException("no form on the verification page");
        }
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        form("device", Map.of("csrf", csrf.group(1), "user_code", code, "login", login, "decision", "approve"), cookie);
        JsonNode tokens = Json.lenient().readTree(form("oauth/token", Map.of("grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "device_code", device.get("device_code").asText(), "client_id", "ccp-bench"), null).body());
        return tokens.get("access_token").asText();
    }

    private static String encode(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
