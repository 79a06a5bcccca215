package dev.ccp.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.policy.PolicyPackCodec;
import dev.ccp.spi.policy.PolicyVerification;
import dev.ccp.spi.wire.Json;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Policy distribution against a running server:
 * <ul>
 *   <li>The time from a publish to its arrival at every one of N long-polling subscribers (default
 *       1,000), spread round robin over the nodes given ({@code --server} with comma-separated
 *       addresses) and published on the first: each round publishes a new version while all of them
 *       wait with {@code If-None-Match} and {@code Prefer: wait=55}, and takes the time until each
 *       has its answer. Unmeasured rounds come first ({@code --warmup}, 20 unless told), and every node
 *       has served as many 304s as the first before them, so no node or client path is measured cold:
 *       with 3 or 10 unmeasured rounds, the rounds kept getting faster through the measured ones, the
 *       nodes still compiling the path a woken request takes. The first three rounds after the nodes
 *       started are reported apart, as what a publish right after a start meets.
 *       Like the SDK, a subscriber asks again a random 0.5 to 3 s after a new pack.
 *       Every answer is then verified as the SDK does (signature, org, channel, expiry); that check
 *       runs on each subscriber's own machine in real life, so it is reported apart.</li>
 *   <li>The cost of a 304 ({@code If-None-Match} naming the current pack, no wait) against the same
 *       server's no-op endpoint {@code /v1/ping}, one request after another, on the first node.</li>
 * </ul>
 */
public final class PolicyLoad {

    private static final OperatingSystemMXBean CPU = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        List<ServerLoad> nodes = ServerLoad.all(opt.getOrDefault("server", "http://127.0.0.1:8080/"));
        ServerLoad server = nodes.get(0);
        int subscribers = Integer.parseInt(opt.getOrDefault("subscribers", "1000"));
        int rounds = Integer.parseInt(opt.getOrDefault("rounds", "10"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "20"));

        String token = server.login("policy-bench-" + System.nanoTime() + "@example.com", null);
        String org = Json.lenient().readTree(server.get("v1/me", token).body()).get("org").asText();
        publish(server, token, 0);
        String etag = server.get("v1/policy/dev", token).headers().firstValue("ETag").orElseThrow();
        KeyRing keys = KeyRing.parseJwks(server.get(".well-known/jwks.json", null).body());

        String held = etag;
        long[] notModified = server.time(() -> server.getRequest("v1/policy/dev", token).header("If-None-Match", held), 304, 500, 5000);
        long[] noop = server.time(() -> server.getRequest("v1/ping", null), 204, 500, 5000);
        System.out.printf("304 answer, one request after another (5,000 each)%n");
        System.out.printf("  GET /v1/policy/dev, If-None-Match current : median %.2f ms, p95 %.2f ms%n", notModified[0] / 1e6, notModified[1] / 1e6);
        System.out.printf("  GET /v1/ping (no-op)                      : median %.2f ms, p95 %.2f ms%n", noop[0] / 1e6, noop[1] / 1e6);
        System.out.printf("  ratio (median)                            : %.2f of the no-op%n", (double) notModified[0] / noop[0]);
        // The other nodes get as many requests as the first had, so no node meets the subscribers cold.
        for (ServerLoad node : nodes.subList(1, nodes.size())) {
            node.warm(() -> node.getRequest("v1/policy/dev", token).header("If-None-Match", held), 304, 5500);
        }

        Subscribers fleet = new Subscribers(nodes.stream().map(n -> n.base).toList(), token, subscribers);
        fleet.start(etag);
        System.out.printf("publish to arrival: %d subscribers over %d node(s), %d rounds after %d unmeasured%n", subscribers,
                nodes.size(), rounds, warmup);
        long[] all = new long[rounds * subscribers];
        long[][] byNode = new long[nodes.size()][rounds * ((subscribers + nodes.size() - 1) / nodes.size())];
        int[] onNode = new int[nodes.size()];
        long[] publishAnswered = new long[rounds];
        long clientCpu = 0;
        long window = 0;
        long verifyNanos = 0;
        int verified = 0;
        int coldRounds = Math.min(3, warmup + rounds);
        long[] cold = new long[coldRounds * subscribers];
        // Version 1 is published above; the unmeasured rounds publish from version 2 and warm the whole
        // path (hold, wake, answer, ask again) on every node and in this client.
        for (int round = 1 - warmup; round <= rounds; round++) {
            int version = round + warmup + 1;
            Round r = round(fleet, server, token, version);
            int sinceStart = round + warmup - 1;
            if (sinceStart < coldRounds) {
                System.arraycopy(r.took(), 0, cold, sinceStart * subscribers, subscribers);
            }
            long start = System.nanoTime();
            for (String pack : fleet.packs()) {
                PolicyVerification v = new PolicyPackCodec().verify(pack, keys, org, "dev", Instant.now());
                ServerLoad.require(v.valid() && v.claims().version() == version, "a subscriber got " + v.result() + ": " + v.detail());
            }
            if (round < 1) {
                continue;
            }
            verifyNanos += System.nanoTime() - start;
            verified += subscribers;
            publishAnswered[round - 1] = r.publishAnswered();
            window += r.window();
            clientCpu += r.clientCpu();
            System.arraycopy(r.took(), 0, all, (round - 1) * subscribers, subscribers);
            for (int i = 0; i < subscribers; i++) {
                int node = i % nodes.size();
                byNode[node][onNode[node]++] = r.took()[i];
            }
            long[] sorted = r.took().clone();
            Arrays.sort(sorted);
            System.out.printf("  round %d: p50 %.0f ms, max %.0f ms%n", round, pct(sorted, 0.50), sorted[subscribers - 1] / 1e6);
        }
        fleet.stop();
        Arrays.sort(cold);
        System.out.printf("  the first %d rounds after the nodes started, apart: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                coldRounds, pct(cold, 0.50), pct(cold, 0.99), cold[cold.length - 1] / 1e6);
        Arrays.sort(all);
        Arrays.sort(publishAnswered);
        System.out.printf("  all %,d arrivals: p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms%n", all.length, pct(all, 0.50),
                pct(all, 0.90), pct(all, 0.99), all[all.length - 1] / 1e6);
        for (int node = 0; nodes.size() > 1 && node < nodes.size(); node++) {
            long[] mine = Arrays.copyOf(byNode[node], onNode[node]);
            Arrays.sort(mine);
            System.out.printf("  node %d%s: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", node + 1, node == 0 ? " (takes the publish)" : "",
                    pct(mine, 0.50), pct(mine, 0.99), mine[mine.length - 1] / 1e6);
        }
        // The node that takes the publish wakes its own waiters before it answers, so this holds their answers too.
        System.out.printf("  publish answered (201) after: median %.0f ms, max %.0f ms%n", pct(publishAnswered, 0.50),
                publishAnswered[rounds - 1] / 1e6);
        System.out.printf("  this client's CPU from publish to last arrival: %.0f ms of %.0f ms (%.2f cores)%n", clientCpu / 1e6 / rounds,
                window / 1e6 / rounds, (double) clientCpu / window);
        System.out.printf("  verifying one pack as the SDK does: %.2f ms%n", verifyNanos / 1e6 / verified);
    }

    /** One publish: each subscriber's time to its answer, the publish's own, and this client's CPU until the last arrival. */
    private record Round(long[] took, long publishAnswered, long window, long clientCpu) {
    }

    private static Round round(Subscribers fleet, ServerLoad server, String token, int version) throws Exception {
        fleet.awaitWaiting();
        Thread.sleep(2000); // every request has reached the server and is held there
        CountDownLatch arrived = fleet.expect();
        long cpu = CPU.getProcessCpuTime();
        long published = System.nanoTime();
        publish(server, token, version - 1);
        long answered = System.nanoTime() - published;
        ServerLoad.require(arrived.await(120, TimeUnit.SECONDS), "version " + version + ": only " + (fleet.n - arrived.getCount())
                + " of " + fleet.n + " subscribers got it");
        long window = System.nanoTime() - published;
        long[] took = new long[fleet.n];
        for (int i = 0; i < fleet.n; i++) {
            took[i] = fleet.arrivals.get(i) - published;
        }
        return new Round(took, answered, window, CPU.getProcessCpuTime() - cpu);
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p) - 1)] / 1e6;
    }

    private static void publish(ServerLoad server, String token, int round) throws Exception {
        String document = "{\"schema\":\"ccp.policy/v1\",\"description\":\"round " + round + "\",\"models\":{\"deny\":[\"gpt-*\"]}}";
        HttpResponse<String> answer;
        try {
            answer = server.postJson("v1/admin/policies/dev", token, document);
        } catch (java.io.IOException e) {
            // The client's pooled connection sat idle while other nodes were warmed, and the server
            // had closed it: no answer came, so the publish is sent once more on a new one. (Had the
            // first been taken, every subscriber's version check would fail the run.)
            if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
                throw e;
            }
            answer = server.postJson("v1/admin/policies/dev", token, document);
        }
        ServerLoad.require(answer.statusCode() == 201, "publish answered " + answer.statusCode() + ": " + answer.body());
    }

    /**
     * N long polls kept open with one HTTP/1.1 connection each, re-sent as soon as they are answered;
     * poll i goes to node i mod nodes. They go over {@link LongPolls}, not the JDK's HTTP client,
     * whose CPU for a thousand answers (most of a core) was taken from the servers measured.
     */
    private static final class Subscribers {
        /**
         * Asks again after a new pack. Not CompletableFuture.delayedExecutor: with fewer than three
         * cores its default pool starts a thread per task, a thousand at once after each publish.
         */
        private final ScheduledExecutorService again = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "subscribers-again");
            thread.setDaemon(true);
            return thread;
        });
        private final LongPolls polls;
        final int n;
        final AtomicLongArray arrivals;
        private final String[] packs;
        private final AtomicInteger waiting = new AtomicInteger();
        private volatile CountDownLatch latch = new CountDownLatch(0);
        private volatile boolean stopped;

        Subscribers(List<String> bases, String token, int n) {
            this.n = n;
            this.arrivals = new AtomicLongArray(n);
            this.packs = new String[n];
            this.polls = new LongPolls(bases.stream().map(base -> URI.create(base + "v1/policy/dev")).toList(), token, n, this::arrived);
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
            polls.ask(i, etag);
        }

        private void arrived(int i, int status, String etag, String body, long at) {
            waiting.decrementAndGet();
            if (status == 200) {
                arrivals.set(i, at);
                packs[i] = body;
                latch.countDown();
                // As the SDK's poller does: spread the next requests of a fleet that was answered at once.
                again.schedule(() -> poll(i, etag), ThreadLocalRandom.current().nextLong(500, 3001), TimeUnit.MILLISECONDS);
            } else if (status == 304) {
                poll(i, etag);
            } else {
                System.err.println("subscriber " + i + " got " + status + ": " + body);
                again.schedule(() -> poll(i, etag), 1, TimeUnit.SECONDS);
            }
        }

        void stop() {
            stopped = true;
            again.shutdownNow();
            polls.close();
        }
    }
}
