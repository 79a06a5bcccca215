package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ccp db export}: the raw events as JSON Lines, the format {@code ccp db import} reads. A file
 * is written to a temp file beside it and renamed over it, so a reader never sees half an export.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write the raw usage events as JSON Lines, one event per line, oldest first.",
            "Example line: {\"ts\":\"2026-11-26T10:15:00Z\",\"model\":\"claude-sonnet-4-5\",\"outcome\":\"ok\",",
            "  \"latency_ms\":812,\"tokens_in\":1200,\"tokens_out\":340,\"offloaded\":false}"})
final class DbExportCommand implements Callable<Integer> {

    @ParentCommand
    DbCommand parent;

    @Option(names = "--since", paramLabel = "WHEN",
            description = "Only events at or after WHEN: an instant (2026-11-20T08:00:00Z) or a UTC date (2026-11-20).")
    String since;

    @Parameters(paramLabel = "FILE", description = "Where to write; - for stdout.")
    String file;

    @Override
    public Integer call() throws IOException {
        Instant from = since == null ? Instant.EPOCH : parseSince(since);
        long count;
        try (CcpClient client = parent.client()) {
            if (file.equals("-")) {
                Writer out = new BufferedWriter(new OutputStreamWriter(parent.context().out(), StandardCharsets.UTF_8));
                count = client.usage().exportEvents(from, out);
                parent.context().err().println("✓ Wrote " + events(count) + " to stdout");
                return ExitCodes.OK;
            }
            try {
                count = writeAtomically(Path.of(file), out -> client.usage().exportEvents(from, out));
            } catch (IOException e) {
                throw new CliException(ExitCodes.UNEXPECTED, "ccp: cannot write " + file + " (" + e.getMessage()
                        + ") — check that its folder exists and is writable");
            }
        }
        parent.context().out().println("✓ Wrote " + events(count) + " to " + file);
        return ExitCodes.OK;
    }

    static Instant parseSince(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                throw new CliException(ExitCodes.USAGE, "ccp: --since must be an instant such as 2026-11-20T08:00:00Z or a date "
                        + "such as 2026-11-20, was '" + text + "'");
            }
        }
    }

    private interface Export {
        long to(Writer out);
    }

    private static long writeAtomically(Path target, Export export) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            long count;
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                count = export.to(out);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return count;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String events(long n) {
        return n + (n == 1 ? " event" : " events");
    }
}
