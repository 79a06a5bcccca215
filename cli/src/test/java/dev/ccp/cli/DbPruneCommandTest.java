package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DbPruneCommandTest extends CliFixture {

    @Test
    void removesRawEventsPastTheRetentionAndKeepsTheirRollups() {
        ccp("db", "import", file("in.jsonl", line(Duration.ofDays(29), "m1"), line(Duration.ofDays(1), "m1")).toString());
        clock.advance(Duration.ofDays(2));

        Run run = ccp("db", "prune");

        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).containsExactly("✓ Pruned 1 raw event older than 30 days; their hourly rollups stay");
        assertThat(ccp("db", "status", "--json").out()).contains("\"events\" : 1").contains("\"rollups\" : 2");
    }

    @Test
    void nothingToPruneIsZero() {
        assertThat(ccp("db", "prune").outLines()).containsExactly("✓ Pruned 0 raw events older than 30 days; their hourly rollups stay");
    }
}
