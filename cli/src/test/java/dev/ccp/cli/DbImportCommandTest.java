package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DbImportCommandTest extends CliFixture {

    @Test
    void importsEveryLineAndSaysHowMany() {
        Path file = file("usage.jsonl", line(Duration.ZERO, "m1"), line(Duration.ofHours(1), "m1"), "", line(Duration.ZERO, "m2"));

        Run run = ccp("db", "import", file.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).containsExactly("✓ " + file + ": 3 imported, 0 already present");
    }

    @Test
    void importingTheSameFileTwiceCountsItOnce() {
        Path file = file("usage.jsonl", line(Duration.ZERO, "m1"), line(Duration.ofHours(1), "m1"));
        ccp("db", "import", file.toString());

        Run again = ccp("db", "import", file.toString());

        assertThat(again.outLines()).containsExactly("✓ " + file + ": 0 imported, 2 already present");
        assertThat(ccp("db", "status", "--json").out()).contains("\"events\" : 2");
    }

    @Test
    void aFileWithBadLinesReportsEachOneAndImportsNothing() {
        Path file = file("bad.jsonl",
                line(Duration.ZERO, "m1"),
                line(Duration.ZERO, "m1").replace("}", ",\"prompt\":\"secret\"}"),
                line(Duration.ZERO, "m1").replace("\"m1\"", "\"Claude Sonnet\""),
                line(Duration.ZERO, "m1").replace("\"tokens_in\":1000", "\"tokens_in\":-3"),
                line(Duration.ZERO, "m1").replace("\"ok\"", "\"great\""),
                "{\"ts\": \"2027-01-15T09:00:00Z\",",
                line(Duration.ZERO, "m2"));

        Run run = ccp("db", "import", file.toString());

        assertThat(run.exit()).isEqualTo(9);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).hasSize(6).startsWith(
                file + ":2: unknown field prompt (allowed: ts, model, outcome, latency_ms, tokens_in, tokens_out, offloaded)",
                file + ":3: model must match [a-z0-9][a-z0-9._:/-]{0,63}, was 'Claude Sonnet'",
                file + ":4: tokens_in must not be negative, was -3",
                file + ":5: outcome must be ok, error or rate_limited, was 'great'");
        assertThat(run.errLines().get(4)).startsWith(file + ":6: malformed JSON: ");
        assertThat(run.errLines().get(5)).isEqualTo("ccp: 5 of 7 lines in " + file
                + " are not valid usage events; nothing was imported — fix them and run again");
        assertThat(ccp("db", "status", "--json").out()).contains("\"events\" : 0");
    }

    @Test
    void eventsOlderThanTheRetentionAreSkippedAndCounted() {
        Path file = file("old.jsonl", line(Duration.ofDays(31), "m1"), line(Duration.ZERO, "m1"));

        Run run = ccp("db", "import", file.toString());

        assertThat(run.outLines()).containsExactly(
                "✓ " + file + ": 1 imported, 0 already present, 1 older than the 30-day retention (skipped)");
    }

    @Test
    void aSampleIsTheSameForTheSameClockAndImportsOnce() {
        Run first = ccp("db", "import", "--sample", "--days", "2");
        Run second = ccp("db", "import", "--sample", "--days", "2");

        assertThat(first.exit()).isZero();
        String generated = first.out().replaceAll("^✓ Generated (\\d+) .*\\R", "$1");
        assertThat(first.outLines()).containsExactly("✓ Generated " + generated + " sample events over 2 days: "
                + generated + " imported, 0 already present");
        assertThat(second.outLines()).containsExactly("✓ Generated " + generated + " sample events over 2 days: 0 imported, "
                + generated + " already present");
        assertThat(Integer.parseInt(generated)).isBetween(100, 2000);
    }

    @Test
    void anotherSeedGivesAnotherSample() {
        ccp("db", "import", "--sample", "--days", "1");

        Run other = ccp("db", "import", "--sample", "--days", "1", "--seed", "7");

        assertThat(other.out()).doesNotContain(": 0 imported");
    }

    @Test
    void eitherAFileOrASample() {
        assertThat(ccp("db", "import").exit()).isEqualTo(2);
        assertThat(ccp("db", "import", "--sample", file("x.jsonl").toString()).exit()).isEqualTo(2);
        assertThat(ccp("db", "import", "--days", "3", file("y.jsonl").toString()).exit()).isEqualTo(2);

        Run tooMany = ccp("db", "import", "--sample", "--days", "45");
        assertThat(tooMany.exit()).isEqualTo(2);
        assertThat(tooMany.errLines()).containsExactly("ccp: --days must be between 1 and 30 (raw events are kept 30 days), was 45");
    }

    @Test
    void aMissingFileIsAUsageError() {
        Run run = ccp("db", "import", home.resolve("nope.jsonl").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("ccp: no such file: " + home.resolve("nope.jsonl"));
    }

    @Test
    void aFileThatIsNotUtf8IsRefused() throws Exception {
        Path file = file("latin1.jsonl");
        java.nio.file.Files.write(file, new byte[] {'{', (byte) 0xE9, '}', '\n'});

        Run run = ccp("db", "import", file.toString());

        assertThat(run.exit()).isEqualTo(9);
        assertThat(run.errLines()).containsExactly(file + ":1: not UTF-8 text; nothing was imported");
    }
}
