package dev.ccp.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/license/status} against the WAR's own no-op {@code GET /v1/ping} at 1, 8 and 32
 * connections, driven by {@code wrk} (HTTP/1.1 keep-alive, closed loop: each connection sends its
 * next request when the last is answered). Rounds alternate between the two endpoints so that a
 * machine that speeds up or slows down during the run favours neither; the ratio is of the median
 * rounds' requests per second.
 */
public final class StatusLoad {

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern LATENCY = Pattern.compile("^\\s+(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
    private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses: (\\d+)|Socket errors: .*");

    /** One wrk run: requests per second, and the median and 99th percentile latency in ms. */
    record Run(double rate, double p50, double p99) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        // One node: wrk measures one address.
        ServerLoad server = ServerLoad.all(opt.getOrDefault("server", "http://127.0.0.1:8080/")).get(0);
        int rounds = Integer.parseInt(opt.getOrDefault("rounds", "3"));
        int seconds = Integer.parseInt(opt.getOrDefault("seconds", "10"));
        String wrk = opt.getOrDefault("wrk", "wrk");

        String token = server.login("status-bench-" + System.nanoTime() + "@example.com", null);
        ServerLoad.require(server.get("v1/license/status", token).statusCode() == 200, "license status refused the token");
        String status = server.base + "v1/license/status";
        String ping = server.base + "v1/ping";
        List<String> auth = List.of("-H", "Authorization: Bearer " + token);

        System.out.printf("GET /v1/license/status against GET /v1/ping (no-op), wrk, %d rounds of %d s each way%n", rounds, seconds);
        System.out.printf("%-11s %-22s %-22s %-14s %s%n", "connections", "status req/s (median)", "ping req/s (median)", "ratio",
                "status p50 / p99 ms, ping p50 / p99 ms");
        for (int connections : new int[] {1, 8, 32}) {
            // Unmeasured: every connection's first requests, the JIT, and the server's pools.
            wrk(wrk, connections, 5, status, auth);
            wrk(wrk, connections, 5, ping, List.of());
            List<Run> statuses = new ArrayList<>();
            List<Run> pings = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                if (r % 2 == 0) {
                    statuses.add(wrk(wrk, connections, seconds, status, auth));
                    pings.add(wrk(wrk, connections, seconds, ping, List.of()));
                } else {
                    pings.add(wrk(wrk, connections, seconds, ping, List.of()));
                    statuses.add(wrk(wrk, connections, seconds, status, auth));
                }
            }
            Run s = median(statuses);
            Run p = median(pings);
            System.out.printf("%-11d %-22s %-22s %-14s %.2f / %.2f, %.2f / %.2f%n", connections, String.format("%,.0f", s.rate()),
                    String.format("%,.0f", p.rate()), String.format("%.2f", s.rate() / p.rate()), s.p50(), s.p99(), p.p50(), p.p99());
        }
    }

    /** The round with the median rate. */
    private static Run median(List<Run> runs) {
        List<Run> sorted = new ArrayList<>(runs);
        sorted.sort((a, b) -> Double.compare(a.rate(), b.rate()));
        return sorted.get(sorted.size() / 2);
    }

    static Run wrk(String wrk, int connections, int seconds, String url, List<String> headers) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(wrk, "--latency", "-t", String.valueOf(Math.min(2, connections)),
                "-c", String.valueOf(connections), "-d", seconds + "s"));
        command.addAll(headers);
        command.add(url);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ServerLoad.require(process.waitFor() == 0, "wrk failed: " + out);
        Matcher errors = ERRORS.matcher(out);
        ServerLoad.require(!errors.find(), "requests failed during the run: " + out);
        Matcher rate = RATE.matcher(out);
        ServerLoad.require(rate.find(), "no rate in wrk's output: " + out);
        Map<String, Double> latency = new HashMap<>();
        Matcher m = LATENCY.matcher(out);
        while (m.find()) {
            double value = Double.parseDouble(m.group(2));
            latency.put(m.group(1), switch (m.group(3)) {
                case "us" -> value / 1000;
                case "s" -> value * 1000;
                default -> value;
            });
        }
        return new Run(Double.parseDouble(rate.group(1)), latency.getOrDefault("50", Double.NaN), latency.getOrDefault("99", Double.NaN));
    }
}
