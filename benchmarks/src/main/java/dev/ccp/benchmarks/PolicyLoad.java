package dev.ccp.benchmarks;

import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.policy.PolicyPackCodec;
import dev.ccp.spi.policy.PolicyVerification;
import dev.ccp.spi.wire.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Policy distribution against a running server:
 * <ul>
 *   <li>The time from a publish to its arrival at every one of N long-polling subscribers (default
 *       1,000) on one node: each round publishes a new version while all of them wait with
 *       {@code If-None-Match} and {@code Prefer: wait=55}, and takes the time until each has its answer.
 *       Like the SDK, a subscriber asks again a random 0.5 to 3 s after a new pack.
 *       Every answer is then verified as the SDK does (signature, org, channel, expiry); that check
 *       runs on each subscriber's own machine in real life, so it is reported apart.</li>
 *   <li>The cost of a 304 ({@code If-None-Match} naming the current pack, no wait) against the same
 *       server's no-op endpoint {@code /health/live}, one request after another.</li>
 * </ul>
 */
public final class PolicyLoad {

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        ServerLoad server = new ServerLoad(opt.getOrDefault("server", "http://127.0.0.1:8080/"));
        int subscribers = Integer.parseInt(opt.getOrDefault("subscribers", "1000"));
        int rounds = Integer.parseInt(opt.getOrDefault("rounds", "10"));

        String token = server.login("policy-bench-" + System.nanoTime() + "@example.com", null);
        String org = Json.lenient().readTree(server.get("v1/me", token).body()).get("org").asText();
        publish(server, token, 0);
        String etag = server.get("v1/policy/dev", token).headers().firstValue("ETag").orElseThrow();
        KeyRing keys = KeyRing.parseJwks(server.get(".well-known/jwks.json", null).body());

        String held = etag;
        long[] notModified = server.time(() -> server.getRequest("v1/policy/dev", token).header("If-None-Match", held), 304, 500, 5000);
        long[] noop = server.time(() -> server.getRequest("health/live", null), 200, 500, 5000);
        System.out.printf("304 answer, one request after another (5,000 each)%n");
        System.out.printf("  GET /v1/policy/dev, If-None-Match current : median %.2f ms, p95 %.2f ms%n", notModified[0] / 1e6, notModified[1] / 1e6);
        System.out.printf("  GET /health/live (no-op)                  : median %.2f ms, p95 %.2f ms%n", noop[0] / 1e6, noop[1] / 1e6);
        System.out.printf("  ratio (median)                            : %.2f of the no-op%n", (double) notModified[0] / noop[0]);

        Subscribers fleet = new Subscribers(server.base, token, subscribers);
        fleet.start(etag);
        long[] all = new long[rounds * subscribers];
        long verifyNanos = 0;
        int verified = 0;
        for (int round = 1; round <= rounds; round++) {
            fleet.awaitWaiting();
            Thread.sleep(2000); // every request has reached the server and is held there
            CountDownLatch arrived = fleet.expect();
            long published = System.nanoTime();
            publish(server, token, round);
            ServerLoad.require(arrived.await(120, TimeUnit.SECONDS), "round " + round + ": only " + (subscribers - arrived.getCount())
                    + " of " + subscribers + " subscribers got the new pack");
            for (int i = 0; i < subscribers; i++) {
                all[(round - 1) * subscribers + i] = fleet.arrivals.get(i) - published;
            }
            long start = System.nanoTime();
            for (String pack : fleet.packs()) {
                PolicyVerification v = new PolicyPackCodec().verify(pack, keys, org, "dev", Instant.now());
                ServerLoad.require(v.valid() && v.claims().version() == round + 1, "a subscriber got " + v.result() + ": " + v.detail());
                verified++;
            }
            verifyNanos += System.nanoTime() - start;
        }
        fleet.stop();
        Arrays.sort(all);
        System.out.printf("publish to arrival: %d subscribers on one node, %d rounds (%,d arrivals)%n", subscribers, rounds, all.length);
        System.out.printf("  p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms%n", pct(all, 0.50), pct(all, 0.90), pct(all, 0.99),
                all[all.length - 1] / 1e6);
        System.out.printf("  verifying one pack as the SDK does: %.2f ms%n", verifyNanos / 1e6 / verified);
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p) - 1)] / 1e6;
    }

    private static void publish(ServerLoad server, String token, int round) throws Exception {
        String document = "{\"schema\":\"ccp.policy/v1\",\"description\":\"round " + round + "\",\"models\":{\"deny\":[\"gpt-*\"]}}";
        HttpResponse<String> answer = server.postJson("v1/admin/policies/dev", token, document);
        ServerLoad.require(answer.statusCode() == 201, "publish answered " + answer.statusCode() + ": " + answer.body());
    }

    /** N long polls kept open with one HTTP/1.1 connection each, re-sent as soon as they are answered. */
    private static final class Subscribers {
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
        private final URI uri;
        private final String token;
        private final int n;
        final AtomicLongArray arrivals;
        private final String[] packs;
        private final AtomicInteger waiting = new AtomicInteger();
        private volatile CountDownLatch latch = new CountDownLatch(0);
        private volatile boolean stopped;

        Subscribers(String base, String token, int n) {
            this.uri = URI.create(base + "v1/policy/dev");
            this.token = token;
            this.n = n;
            this.arrivals = new AtomicLongArray(n);
            this.packs = new String[n];
        }

        void start(String etag) {
            for (int i = 0; i < n; i++) {
                poll(i, etag);
            }
        }

        CountDownLatch expect() {
            latch = new CountDownLatch(n);
            return latch;
        }

        void awaitWaiting() throws InterruptedException {
            while (waiting.get() < n) {
                Thread.sleep(50);
            }
        }

        String[] packs() {
            return packs.clone();
        }

        private void poll(int i, String etag) {
            if (stopped) {
                return;
            }
            waiting.incrementAndGet();
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(90))
                    .header("Authorization", "Bearer " + token).header("If-None-Match", etag).header("Prefer", "wait=55").GET().build();
            client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((answer, failure) -> {
                long at = System.nanoTime();
                waiting.decrementAndGet();
                if (failure != null) {
                    System.err.println("subscriber " + i + " failed: " + failure);
                    poll(i, etag);
                } else if (answer.statusCode() == 200) {
                    arrivals.set(i, at);
                    packs[i] = answer.body();
                    latch.countDown();
                    String next = answer.headers().firstValue("ETag").orElseThrow();
                    // As the SDK's poller does: spread the next requests of a fleet that was answered at once.
                    CompletableFuture.delayedExecutor(ThreadLocalRandom.current().nextLong(500, 3001), TimeUnit.MILLISECONDS)
                            .execute(() -> poll(i, next));
                } else {
                    poll(i, etag);
                }
            });
        }

        void stop() {
            stopped = true;
        }
    }
}
