package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import dev.ccp.sdk.ImportResult;
import dev.ccp.sdk.UsageLines;
import dev.ccp.spi.usage.UsageEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ccp db import}: all or nothing. Every line is checked before anything is written; one bad
 * line means one message per bad line ({@code FILE:LINE: what is wrong}), nothing imported, and exit
 * 9. Events already stored are skipped, so importing a file twice counts it once.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import usage events from a JSON Lines file (as `ccp db export` writes), all or nothing,",
            "or generate realistic sample usage with --sample. Events already stored are skipped."})
final class DbImportCommand implements Callable<Integer> {

    @ParentCommand
    DbCommand parent;

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "The file to import.")
    Path file;

    @Option(names = "--sample", description = "Generate sample usage ending now instead of reading a file.")
    boolean sample;

    @Option(names = "--days", paramLabel = "N", description = "Days of sample usage (default: 7, at most 30).")
    Integer days;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the sample generator (default: the clock), "
            + "to generate the same sample again.")
    Long seed;

    @Override
    public Integer call() {
        if (sample == (file != null)) {
            throw new CliException(ExitCodes.USAGE, "ccp: give either FILE or --sample — see `ccp db import --help`");
        }
        if (!sample && (days != null || seed != null)) {
            throw new CliException(ExitCodes.USAGE, "ccp: --days and --seed go with --sample only");
        }
        PrintStream out = parent.context().out();
        try (CcpClient client = parent.client()) {
            int maxDays = (int) client.usage().retention().toDays();
            if (sample) {
                int n = days == null ? 7 : days;
                if (n < 1 || n > maxDays) {
                    throw new CliException(ExitCodes.USAGE, "ccp: --days must be between 1 and " + maxDays
                            + " (raw events are kept " + maxDays + " days), was " + n);
                }
                var now = parent.context().clock().instant();
                List<UsageEvent> events = SampleUsage.generate(now, n, seed != null ? seed : now.toEpochMilli());
                ImportResult result = client.usage().importEvents(events);
                out.println("✓ Generated " + events.size() + " sample events over " + n + (n == 1 ? " day: " : " days: ")
                        + describe(result, maxDays));
                return ExitCodes.OK;
            }
            List<UsageEvent> events = read();
            ImportResult result = client.usage().importEvents(events);
            out.println("✓ " + file + ": " + describe(result, maxDays));
            return ExitCodes.OK;
        }
    }

    /** Every line, or the report of every bad one. */
    private List<UsageEvent> read() {
        List<UsageEvent> events = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int lines = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    events.add(UsageLines.parse(line));
                } catch (IllegalArgumentException e) {
                    problems.add(file + ":" + lines + ": " + e.getMessage());
                }
            }
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.USAGE, "ccp: no such file: " + file);
        } catch (CharacterCodingException e) {
            throw new CliException(ExitCodes.REFUSED, file + ":" + (lines + 1) + ": not UTF-8 text; nothing was imported");
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNEXPECTED, "ccp: cannot read " + file + ": " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            PrintStream err = parent.context().err();
            problems.forEach(err::println);
            throw new CliException(ExitCodes.REFUSED, "ccp: " + problems.size() + " of " + lines + " lines in " + file
                    + (problems.size() == 1 ? " is not a valid usage event" : " are not valid usage events")
                    + "; nothing was imported — fix them and run again");
        }
        return events;
    }

    private static String describe(ImportResult r, long retentionDays) {
        return r.imported() + " imported, " + r.present() + " already present"
                + (r.tooOld() == 0 ? "" : ", " + r.tooOld() + " older than the " + retentionDays + "-day retention (skipped)");
    }
}
