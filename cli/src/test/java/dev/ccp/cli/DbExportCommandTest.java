package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DbExportCommandTest extends CliFixture {

    static final Instant T0 = Instant.parse("2027-01-15T09:00:00Z");

    private void imported(String... lines) {
        assertThat(ccp("db", "import", file("in.jsonl", lines).toString()).exit()).isZero();
    }

    @Test
    void writesOneDocumentedLinePerEventOldestFirst() throws Exception {
        imported(line(T0, "m2"), line(T0.minusSeconds(3600), "m1"));
        Path target = home.resolve("out.jsonl");

        Run run = ccp("db", "export", target.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).containsExactly("✓ Wrote 2 events to " + target);
        assertThat(Files.readAllLines(target, StandardCharsets.UTF_8)).containsExactly(
                "{\"ts\":\"2027-01-15T08:00:00Z\",\"model\":\"m1\",\"outcome\":\"ok\",\"latency_ms\":800,\"tokens_in\":1000,\"tokens_out\":200,\"offloaded\":false}",
                "{\"ts\":\"2027-01-15T09:00:00Z\",\"model\":\"m2\",\"outcome\":\"ok\",\"latency_ms\":800,\"tokens_in\":1000,\"tokens_out\":200,\"offloaded\":false}");
    }

    @Test
    void replacesTheFileWholeAndLeavesNoTempFileBehind() throws Exception {
        imported(line(T0, "m1"));
        Path dir = Files.createDirectories(home.resolve("exports"));
        Path target = Files.writeString(dir.resolve("out.jsonl"), "old content\n");

        ccp("db", "export", target.toString());

        assertThat(Files.readString(target)).startsWith("{\"ts\":\"2027-01-15T09:00:00Z\"");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("out.jsonl");
        }
    }

    @Test
    void aDashWritesToStdoutAndTheCountToStderr() {
        imported(line(T0, "m1"));

        Run run = ccp("db", "export", "-");

        assertThat(run.outLines()).containsExactly(line(T0, "m1"));
        assertThat(run.errLines()).containsExactly("✓ Wrote 1 event to stdout");
    }

    @Test
    void sinceTakesAnInstantOrAUtcDate() {
        imported(line(T0.minus(Duration.ofDays(2)), "m1"), line(T0.minusSeconds(60), "m2"), line(T0, "m3"));

        assertThat(ccp("db", "export", "--since", "2027-01-15", "-").outLines()).hasSize(2);
        assertThat(ccp("db", "export", "--since", "2027-01-15T09:00:00Z", "-").outLines()).containsExactly(line(T0, "m3"));
    }

    @Test
    void aBadSinceIsAUsageError() {
        Run run = ccp("db", "export", "--since", "last week", "-");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly(
                "ccp: --since must be an instant such as 2026-11-20T08:00:00Z or a date such as 2026-11-20, was 'last week'");
    }

    @Test
    void anExportImportsBackAsAlreadyPresent() throws Exception {
        ccp("db", "import", "--sample", "--days", "1");
        Path target = home.resolve("all.jsonl");
        ccp("db", "export", target.toString());
        long lines = Files.readAllLines(target).size();

        Run run = ccp("db", "import", target.toString());

        assertThat(run.outLines()).containsExactly("✓ " + target + ": 0 imported, " + lines + " already present");
    }

    @Test
    void aFolderThatDoesNotExistIsOneLine() {
        Run run = ccp("db", "export", home.resolve("missing").resolve("out.jsonl").toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString().startsWith("ccp: cannot write ").endsWith("check that its folder exists and is writable");
    }

    @Test
    void anEmptyStoreExportsAnEmptyFile() throws Exception {
        Path target = home.resolve("empty.jsonl");

        assertThat(ccp("db", "export", target.toString()).outLines()).containsExactly("✓ Wrote 0 events to " + target);
        assertThat(Files.readAllLines(target)).isEqualTo(List.of());
    }
}
