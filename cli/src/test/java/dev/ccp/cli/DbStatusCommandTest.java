package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.spi.wire.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DbStatusCommandTest extends CliFixture {

    static final Instant T0 = Instant.parse("2027-01-15T09:00:00Z");

    @Test
    void showsWhereTheStoreIsAndWhatItHolds() {
        ccp("db", "import", file("in.jsonl", line(T0.minusSeconds(7200), "m1"), line(T0, "m1"), line(T0, "m2")).toString());

        Run run = ccp("db", "status");

        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).hasSize(4);
        assertThat(run.outLines().get(0)).startsWith("  Store:    " + home.resolve("usage.mv.db") + " (").endsWith(" KB)");
        assertThat(run.outLines().subList(1, 4)).containsExactly(
                "  Events:   3 raw events, 2027-01-15T07:00:00Z … 2027-01-15T09:00:00Z (kept 30 days)",
                "  Rollups:  3 hourly rows (kept 400 days)",
                "  Pending:  3 rows not yet exported — run `ccp export rollups`");
    }

    @Test
    void jsonHasEveryCount() throws Exception {
        ccp("db", "import", file("in.jsonl", line(T0, "m1")).toString());

        JsonNode status = Json.lenient().readTree(ccp("db", "status", "--json").out());

        assertThat(status.get("path").asText()).isEqualTo(home.resolve("usage.mv.db").toString());
        assertThat(status.get("bytes").asLong()).isPositive();
        assertThat(status.get("events").asLong()).isEqualTo(1);
        assertThat(status.get("oldest_event").asText()).isEqualTo("2027-01-15T09:00:00Z");
        assertThat(status.get("newest_event").asText()).isEqualTo("2027-01-15T09:00:00Z");
        assertThat(status.get("rollups").asLong()).isEqualTo(1);
        assertThat(status.get("pending_rows").asLong()).isEqualTo(1);
        assertThat(status.get("event_retention_days").asLong()).isEqualTo(30);
    }

    @Test
    void anEmptyStoreIsCreatedOnFirstUse() {
        Run run = ccp("db", "status");

        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).contains("  Events:   0 raw events (kept 30 days)", "  Pending:  0 rows not yet exported");
        assertThat(home.resolve("usage.mv.db")).exists();
    }

    @Test
    void withoutCcpHomeTheStoreLivesInTheXdgDataFolder() {
        Map<String, String> env = env();
        env.remove("CCP_HOME");
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("XDG_DATA_HOME", home.resolve("data").toString());

        Run run = ccp(env, "db", "status");

        assertThat(run.outLines().get(0)).contains(home.resolve("data").resolve("ccp").resolve("usage.mv.db").toString());
    }

    @Test
    void rowsSentAreNoLongerPending() {
        login();
        ccp("db", "import", file("in.jsonl", line(Duration.ZERO, "m1")).toString());
        ccp("export", "rollups");

        assertThat(ccp("db", "status").outLines()).contains("  Pending:  0 rows not yet exported");
    }
}
