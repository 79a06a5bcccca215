package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.spi.wire.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five members of a team org each log in with the real CLI, import the same usage and export it;
 * the health API, page and CSV show the combined figures only once five seats stand behind them.
 * An export killed half-way and run again, and an export repeated, leave the server's totals equal to
 * the local ones.
 */
class UsageEndToEndIT extends ServerIT {

    static final int MODELS = 40;
    static final int HOURS = 60;

    @TempDir
    Path dir;

    @Test
    void fiveSeatsExportAndTheHealthViewsShowTheCombinedFigures() throws Exception {
        Http http = http();
        Path usage = usageFile();

        Cli owner = new Cli(dir.resolve("owner"), http.base());
        String ownerLogin = Logins.unique("lead");
        CliEndToEndIT.loggedIn(CliEndToEndIT.login(owner, http, ownerLogin));
        String org = Json.lenient().readTree(owner.run("status", "--json").out()).get("org").asText();
        http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":\"team\",\"seats\":10,\"reason\":\"e2e\"}");

        List<Cli> seats = new ArrayList<>(List.of(owner));
        for (int i = 1; i < 5; i++) {
            String login = Logins.unique("dev" + i);
            assertThat(owner.run("org", "add", login).exit()).isZero();
            Cli member = new Cli(dir.resolve("dev" + i), http.base());
            Cli.Result in = CliEndToEndIT.login(member, http, login, "--org", org);
            assertThat(in.exit()).as(in.err()).isZero();
            seats.add(member);
        }
        for (Cli seat : seats) {
            Cli.Result imported = seat.run("db", "import", usage.toString());
            assertThat(imported.exit()).as(imported.err()).isZero();
        }

        for (Cli seat : seats.subList(0, 4)) {
            Cli.Result exported = seat.run("export", "rollups", "--hours", "168");
            assertThat(exported.exit()).as(exported.err()).isZero();
        }
        String token = owner.run("token").out().strip();
        JsonNode four = Http.body(http.get("v1/health/models?window=7d", token));
        assertThat(model(four, "e2e-m0").get("total").get("suppressed").asBoolean()).as("four seats are not enough").isTrue();

        Cli.Result killed = killAfterFirstBatch(seats.get(4));
        assertThat(killed.out()).contains("batch 1/");
        long partial = shownTotal(http, token);
        assertThat(partial).as("the killed export sent part of its rows").isPositive().isLessThan(5L * MODELS * HOURS);

        Cli.Result resumed = seats.get(4).run("export", "rollups", "--hours", "168");
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        JsonNode five = Http.body(http.get("v1/health/models?window=7d", token));
        assertThat(model(five, "e2e-m0").get("total").get("suppressed").asBoolean()).isFalse();
        assertThat(model(five, "e2e-m0").get("total").get("requests").asLong()).isEqualTo(5L * HOURS);
        long combined = totalOfE2eModels(five);
        assertThat(combined).as("nothing lost, nothing counted twice").isEqualTo(5L * MODELS * HOURS);

        Cli.Result again = seats.get(0).run("export", "rollups", "--hours", "168");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("Nothing to send");
        assertThat(totalOfE2eModels(Http.body(http.get("v1/health/models?window=7d", token)))).isEqualTo(5L * MODELS * HOURS);

        String session = UsageIT.signIn(http, ownerLogin, org);
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(http.uri("dashboards/health?window=7d")).header("Cookie", session).GET());
        assertThat(page.body()).contains("e2e-m0", "<svg");
        HttpResponse<String> csv = http.send(HttpRequest.newBuilder(http.uri("dashboards/health.csv?window=7d")).header("Cookie", session).GET());
        long csvRequests = csv.body().lines().filter(l -> l.startsWith("e2e-m0,")).map(l -> l.split(",", -1)[3])
                .filter(v -> !v.isEmpty()).mapToLong(Long::parseLong).sum();
        assertThat(csvRequests).isEqualTo(5L * HOURS);
    }

    /**
     * The same events for every seat: one request per model and hour over the {@value #HOURS} hours
     * before the current 6-hour bucket, which the 7-day view leaves out while it fills.
     */
    private Path usageFile() throws Exception {
        long now = Instant.now().getEpochSecond();
        Instant hour = Instant.ofEpochSecond(now - Math.floorMod(now, 6 * 3600));
        StringBuilder lines = new StringBuilder();
        for (int h = 1; h <= HOURS; h++) {
            for (int m = 0; m < MODELS; m++) {
                lines.append("{\"ts\":\"").append(hour.minus(h, ChronoUnit.HOURS).plusSeconds(60L * (m % 50))).append("\",\"model\":\"e2e-m")
                        .append(m).append("\",\"outcome\":\"").append(m % 10 == 0 ? "error" : "ok")
                        .append("\",\"latency_ms\":").append(200 + m).append(",\"tokens_in\":1000,\"tokens_out\":100,\"offloaded\":")
                        .append(m % 2 == 0).append("}\n");
            }
        }
        return Files.writeString(dir.resolve("usage.jsonl"), lines);
    }

    /** Runs {@code ccp export rollups} as its own process and kills it as soon as a first batch was accepted. */
    private static Cli.Result killAfterFirstBatch(Cli seat) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("ccp.cli.jar"), "export", "rollups", "--hours", "168").redirectErrorStream(true);
        builder.environment().putAll(seat.env());
        Process process = builder.start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                out.append(line).append('\n');
                if (line.contains("batch 1/")) {
                    process.destroyForcibly();
                    break;
                }
            }
        }
        process.waitFor(30, TimeUnit.SECONDS);
        return new Cli.Result(process.exitValue(), out.toString(), "");
    }

    private static JsonNode model(JsonNode health, String model) {
        for (JsonNode m : health.get("models")) {
            if (m.get("model").asText().equals(model)) {
                return m;
            }
        }
        throw new AssertionError("no model " + model + " in " + health);
    }

    private static long totalOfE2eModels(JsonNode health) {
        long sum = 0;
        for (JsonNode m : health.get("models")) {
            if (m.get("model").asText().startsWith("e2e-m")) {
                sum += m.get("total").get("requests").asLong();
            }
        }
        return sum;
    }

    private static long shownTotal(Http http, String token) {
        JsonNode health = Http.body(http.get("v1/health/models?window=7d", token));
        long sum = 0;
        for (JsonNode m : health.get("models")) {
            JsonNode total = m.get("total");
            if (m.get("model").asText().startsWith("e2e-m") && !total.get("suppressed").asBoolean()) {
                sum += total.get("requests").asLong();
            }
        }
        return sum;
    }
}
