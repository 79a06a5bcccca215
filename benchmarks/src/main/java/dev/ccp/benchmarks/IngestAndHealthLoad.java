package dev.ccp.benchmarks;

import java.io.Reader;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.PGConnection;

/**
 * Server load run, against a running server on PostgreSQL (see benchmarks/run-server-load.sh):
 *
 * <ol>
 *   <li>Ingest throughput: rollup rows per second through {@code POST /v1/ingest/rollups} on
 *   loopback, against a raw JDBC batch upsert of the same rows into a table of the same shape, in
 *   the same run with the same client parallelism, after {@code --warmup} unmeasured batches per
 *   node each way. Given several nodes ({@code --server} with comma-separated addresses), client
 *   thread {@code t} sends to node {@code t mod N}.</li>
 *   <li>The 7-day model health query over 10 million stored rows, against the same server's no-op
 *   endpoint ({@code /v1/ping}); {@code --load-rows 0} leaves it out.</li>
 * </ol>
 */
public final class IngestAndHealthLoad {

    /**
     * A batch is what one seat's exporter sends when it catches up: 500 rows of 5 models over 100
     * hours. Every batch has rows of its own, under new model names once the 400-day window is used.
     */
    private static final int MODELS = 5;
    private static final int HOURS = 500 / MODELS;
    private static final int SPANS = 90;
    private static final String HIST = "[0,0,0,1,0,0,0,0,0,0]";

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        List<ServerLoad> nodes = ServerLoad.all(opt.getOrDefault("server", "http://127.0.0.1:8080/"));
        ServerLoad server = nodes.get(0);
        String dbUrl = opt.getOrDefault("db-url", "jdbc:postgresql://127.0.0.1:5432/ccp_bench");
        String dbUser = opt.getOrDefault("db-user", "postgres");
        String operator = opt.getOrDefault("operator-token", "bench-operator-token");
        int batches = Integer.parseInt(opt.getOrDefault("batches", "200"));
        int threads = Integer.parseInt(opt.getOrDefault("threads", "2"));
        int rounds = Integer.parseInt(opt.getOrDefault("rounds", "3"));
        long loadRows = Long.parseLong(opt.getOrDefault("load-rows", "10000000"));

        String run = "bench-" + System.nanoTime();
        String token = server.login(run + "@example.com", null);
        String org = onTeamPlan(server, operator, token);
        // One seat per client thread, as an org's exporters send: each seat's batches come one at a time.
        List<String> seats = new ArrayList<>(List.of(token));
        for (int t = 1; t < threads; t++) {
            String member = run + "-" + t + "@example.com";
            HttpResponse<String> invited = server.postJson("v1/orgs/" + org + "/members", token, "{\"login\":\"" + member + "\"}");
            require(invited.statusCode() / 100 == 2, "adding a member failed: " + invited.body());
            seats.add(server.login(member, org));
        }

        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        try (Connection setup = DriverManager.getConnection(dbUrl, dbUser, null); Statement s = setup.createStatement()) {
            s.execute("drop table if exists bench_rollups");
            s.execute("create table bench_rollups (like usage_rollups including defaults including indexes)");
        }
        Batch viaHttp = (seat, b) -> {
            HttpResponse<String> answer = nodes.get(seat % nodes.size()).postJson("v1/ingest/rollups", seats.get(seat), b.body());
            require(answer.statusCode() == 200, "ingest answered " + answer.statusCode() + ": " + answer.body());
        };
        Batch viaJdbc = (seat, b) -> rawUpsert(dbUrl, dbUser, "seat_bench_" + seat, b.rows());
        // Warm both paths (every node's JIT above all) on rows of their own, then alternate measured
        // rounds of new rows, so a machine that speeds up or slows down during the run favours neither.
        // 6,000 unmeasured batches per node each way (--warmup): after a few hundred, the server's C2
        // compiler was its busiest thread through the measured rounds; after 2,000 it still took a
        // third of the server's CPU there, compiling the application server's long tail of methods.
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "6000")) * nodes.size();
        rate(threads, batches("warm", hour, warmup), viaHttp);
        rate(threads, batches("warm", hour, warmup), viaJdbc);
        System.out.printf("ingest: %d rounds of %d batches x 500 rows each way, %d client threads over %d node(s)%n", rounds, batches,
                threads, nodes.size());
        double[] https = new double[rounds];
        double[] jdbcs = new double[rounds];
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            List<Batch.Rows> round = batches("round" + r, hour, batches);
            double http;
            double jdbc;
            if (r % 2 == 0) {
                http = rate(threads, round, viaHttp);
                jdbc = rate(threads, round, viaJdbc);
            } else {
                jdbc = rate(threads, round, viaJdbc);
                http = rate(threads, round, viaHttp);
            }
            https[r] = http;
            jdbcs[r] = jdbc;
            ratios[r] = http / jdbc;
            System.out.printf("  round %d: HTTP /v1/ingest/rollups %,.0f rows/s, raw JDBC batch upsert %,.0f rows/s, ratio %.2f%n",
                    r + 1, http, jdbc, ratios[r]);
        }
        Arrays.sort(https);
        Arrays.sort(jdbcs);
        Arrays.sort(ratios);
        System.out.printf("  median of rounds        : HTTP %,.0f rows/s, raw JDBC %,.0f rows/s, %.2f of raw%n", https[rounds / 2],
                jdbcs[rounds / 2], ratios[rounds / 2]);
        if (loadRows == 0) {
            return;
        }

        // The 7-day view is measured on an org of its own, holding what the load gives it and nothing
        // else: the ingest rounds above wrote hundreds of made-up models into the first org's week.
        String viewerToken = server.login(run + "-health@example.com", null);
        String viewed = onTeamPlan(server, operator, viewerToken);
        long loaded = load(dbUrl, dbUser, viewed, hour, loadRows);
        // 200 unmeasured calls first: with only 10, the loops over the read's 12,000 rows were still
        // being compiled during the measured ones.
        long[] health = server.time(() -> server.getRequest("v1/health/models?window=7d", viewerToken), 200, 200, 300);
        long[] noop = server.time(() -> server.getRequest("v1/ping", null), 204, 200, 300);
        System.out.printf("health 7d over %,d stored rows (%s's share: %,d rows over the last 168 hours)%n", loaded, viewed, 50L * 8 * 168);
        System.out.printf("  GET /v1/health/models?window=7d : median %.1f ms, p95 %.1f ms%n", health[0] / 1e6, health[1] / 1e6);
        System.out.printf("  GET /v1/ping (no-op)            : median %.1f ms, p95 %.1f ms%n", noop[0] / 1e6, noop[1] / 1e6);
    }

    interface Batch {
        /** One batch, as the JSON body the server takes and as the (model, hour) pairs the raw upsert binds. */
        record Rows(String body, List<Object[]> rows) {
        }

        void send(int seat, Rows batch) throws Exception;
    }

    /** {@code count} batches of 500 new rows, whose model names start with {@code prefix}. */
    private static List<Batch.Rows> batches(String prefix, Instant hour, int count) {
        List<Batch.Rows> batches = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            StringBuilder body = new StringBuilder("{\"rows\":[");
            List<Object[]> rows = new ArrayList<>();
            for (int r = 0; r < 500; r++) {
                String model = prefix + "-" + (b / SPANS) + "-model-" + (r % MODELS);
                Instant at = hour.minus((b % SPANS) * (long) HOURS + r / MODELS + 1L, ChronoUnit.HOURS);
                body.append(r == 0 ? "" : ",").append("{\"hour\":\"").append(at).append("\",\"model\":\"").append(model)
                        .append("\",\"revision\":1,\"requests\":1,\"errors\":0,\"rate_limited\":0,\"offloaded\":0,\"tokens_in\":100,")
                        .append("\"tokens_out\":10,\"latency_histogram\":").append(HIST).append('}');
                rows.add(new Object[] {model, at});
            }
            batches.add(new Batch.Rows(body.append("]}").toString(), rows));
        }
        return batches;
    }

    /** Rows per second over all the batches, sent by {@code threads} clients. */
    private static double rate(int threads, List<Batch.Rows> batches, Batch batch) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seat = t;
            workers.add(pool.submit(() -> {
                for (int b = next.getAndIncrement(); b < batches.size(); b = next.getAndIncrement()) {
                    batch.send(seat, batches.get(b));
                }
                return null;
            }));
        }
        try {
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long elapsed = System.nanoTime() - start;
        return batches.size() * 500.0 / (elapsed / 1e9);
    }

    /** One connection per client thread, as a pool would hand out: connecting is not what is measured. */
    private static final ThreadLocal<Connection> CONNECTION = new ThreadLocal<>();

    private static void rawUpsert(String url, String user, String seat, List<Object[]> rows) throws SQLException {
        Connection c = CONNECTION.get();
        if (c == null) {
            c = DriverManager.getConnection(url, user, null);
            c.setAutoCommit(false);
            CONNECTION.set(c);
        }
        {
            try (PreparedStatement s = c.prepareStatement("insert into bench_rollups values (?, ?, ?, ?, 1, 1, 0, 0, 0, 100, 10, "
                    + "0, 0, 0, 1, 0, 0, 0, 0, 0, 0, now()) on conflict (org_id, seat, model, hour_start) do update set "
                    + "revision = excluded.revision, requests = excluded.requests where bench_rollups.revision < excluded.revision")) {
                for (Object[] row : rows) {
                    s.setString(1, "org_bench");
                    s.setString(2, seat);
                    s.setString(3, (String) row[0]);
                    s.setObject(4, LocalDateTime.ofInstant((Instant) row[1], ZoneOffset.UTC));
                    s.addBatch();
                }
                s.executeBatch();
            }
            c.commit();
        }
    }

    /**
     * Loads rows straight into the database with COPY: the measured org gets 50 seats x 8 models x 168
     * hours, and filler orgs of 10 seats x 5 models x 200 hours make up the rest.
     */
    private static long load(String url, String user, String benchOrg, Instant hour, long total) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, null)) {
            String orgId;
            try (PreparedStatement s = c.prepareStatement("select id from orgs where slug = ?")) {
                s.setString(1, benchOrg);
                var rs = s.executeQuery();
                rs.next();
                orgId = rs.getString(1);
            }
            long own = 50L * 8 * 168;
            int fillerOrgs = (int) Math.max(0, (total - own) / 10_000);
            try (PreparedStatement s = c.prepareStatement("insert into orgs (id, slug, name, personal, plan, created_at) "
                    + "values (?, ?, ?, false, 'team', now()) on conflict do nothing")) {
                for (int o = 0; o < fillerOrgs; o++) {
                    s.setString(1, "org_fill_" + o);
                    s.setString(2, "fill-" + o);
                    s.setString(3, "fill " + o);
                    s.addBatch();
                }
                s.executeBatch();
            }
            ((PGConnection) c).getCopyAPI().copyIn("copy usage_rollups from stdin with (format csv)",
                    new RowReader(orgId, fillerOrgs, hour));
            try (Statement s = c.createStatement()) {
                // What ingest keeps up to date batch by batch, made here in bulk for all rows.
                String bucket = "to_timestamp(floor(extract(epoch from hour_start) / 21600) * 21600) at time zone 'UTC'";
                String totals = "requests, errors, rate_limited, offloaded, tokens_in, tokens_out, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9";
                String hourBit = "cast(1 << cast(mod(extract(hour from hour_start), 6) as integer) as integer)";
                s.execute("insert into usage_bucket_sums (org_id, seat, model, bucket_start, " + totals + ", hours) select org_id, seat, model, "
                        + bucket + ", " + java.util.Arrays.stream(totals.split(", ")).map(t -> "sum(" + t + ")")
                                .collect(java.util.stream.Collectors.joining(", "))
                        + ", sum(" + hourBit + ") from usage_rollups where seat like 'load_%' group by 1, 2, 3, 4");
                // As autovacuum leaves a table that has settled: statistics, and pages marked all-visible,
                // without which the 7-day read's index-only scan goes to the table for every row.
                s.execute("vacuum (analyze) usage_rollups, usage_bucket_sums");
                s.execute("analyze");
            }
            return count(c);
        }
    }

    private static long count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("select count(*) from usage_rollups")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The org of the login behind {@code token}, put on the team plan with 100 seats by the operator. */
    private static String onTeamPlan(ServerLoad server, String operator, String token) throws Exception {
        String org = dev.ccp.spi.wire.Json.lenient().readTree(server.get("v1/me", token).body()).get("org").asText();
        HttpResponse<String> grant = server.postJson("v1/operator/orgs/" + org + "/license", operator, "{\"plan\":\"team\",\"seats\":100}");
        require(grant.statusCode() == 201, "operator grant failed: " + grant.body());
        return org;
    }

    private static void require(boolean condition, String message) {
        ServerLoad.require(condition, message);
    }

    /** CSV rows for COPY, made on the fly so 10 million rows never sit in memory. */
    private static final class RowReader extends Reader {
        private final String benchOrg;
        private final int fillerOrgs;
        private final String now;
        private final Instant hour;
        private long row;
        private final long ownRows = 50L * 8 * 168;
        private final long totalRows;
        private String pending = "";
        private int at;

        RowReader(String benchOrg, int fillerOrgs, Instant hour) {
            this.benchOrg = benchOrg;
            this.fillerOrgs = fillerOrgs;
            this.hour = hour;
            this.now = Timestamp.from(Instant.now()).toString();
            this.totalRows = ownRows + fillerOrgs * 10_000L;
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            int written = 0;
            while (written < length) {
                if (at == pending.length()) {
                    if (row == totalRows) {
                        return written == 0 ? -1 : written;
                    }
                    pending = next();
                    at = 0;
                }
                int n = Math.min(length - written, pending.length() - at);
                pending.getChars(at, at + n, buffer, offset + written);
                at += n;
                written += n;
            }
            return written;
        }

        private String next() {
            long r = row++;
            String org;
            String seat;
            String model;
            long hoursBack;
            if (r < ownRows) {
                org = benchOrg;
                seat = "load_b" + (r % 50);
                model = "model-" + (r / 50 % 8);
                hoursBack = r / 400;
            } else {
                long f = r - ownRows;
                org = "org_fill_" + (f / 10_000);
                long inOrg = f % 10_000;
                seat = "load_f" + (f / 10_000) + "_" + (inOrg % 10);
                model = "model-" + (inOrg / 10 % 5);
                hoursBack = inOrg / 50;
            }
            String at = Timestamp.valueOf(LocalDateTime.ofInstant(hour.minus(hoursBack, ChronoUnit.HOURS), ZoneOffset.UTC)).toString();
            return org + "," + seat + "," + model + "," + at + ",1,40,1,0,10,4000,400,0,0,10,20,10,0,0,0,0,0," + now + "\n";
        }

        @Override
        public void close() {
        }
    }
}
