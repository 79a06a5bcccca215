package dev.ccp.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccp.sdk.CcpClient;
import dev.ccp.sdk.ExportListener;
import dev.ccp.sdk.ExportOptions;
import dev.ccp.sdk.ExportResult;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.RollupRow;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ccp export rollups}: sends the hourly rollups that changed since the last export. Progress
 * goes to stdout, or to stderr with {@code --json} so that stdout holds only the JSON summary.
 */
@Command(name = "rollups", mixinStandardHelpOptions = true,
        description = {"Send the hourly usage rollups that changed since the last export.",
            "Only counts, token sums and a latency histogram per hour and model leave this machine."})
final class ExportRollupsCommand implements Callable<Integer> {

    @ParentCommand
    ExportCommand parent;

    @Option(names = "--hours", paramLabel = "N", defaultValue = "24",
            description = "Send the last N hours, the current one included (default: ${DEFAULT-VALUE}; at most 9600).")
    int hours;

    @Option(names = "--dry-run", description = "Show what would be sent, and send nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the summary as JSON (progress goes to stderr).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (hours < 1 || hours > ExportOptions.MAX_HOURS) {
            throw new CliException(ExitCodes.USAGE, "ccp: --hours must be between 1 and " + ExportOptions.MAX_HOURS
                    + " (the server keeps 400 days), was " + hours);
        }
        Context context = parent.root.context;
        PrintStream progress = json ? context.err() : context.out();
        ExportResult result;
        try (CcpClient client = parent.root.client()) {
            result = client.usage().export(ExportOptions.defaults().withHours(hours).withDryRun(dryRun)
                    .withListener(new Progress(progress)));
        }
        if (json) {
            context.out().println(Json.lenient().writerWithDefaultPrettyPrinter().writeValueAsString(toJson(result)));
        } else {
            summary(context.out(), result);
        }
        if (result.refused() > 0) {
            context.err().println("ccp: the server kept its own totals for " + result.refused() + " rows that repeated a "
                    + "revision with different counts — please report it");
        }
        return ExitCodes.OK;
    }

    private void summary(PrintStream out, ExportResult r) {
        String span = "the last " + hours + (hours == 1 ? " hour" : " hours");
        if (r.nothingToSend()) {
            out.println("Nothing to send: no rollup of " + span + " changed since the last export.");
        } else if (r.dryRun()) {
            out.println("Dry run: would send " + rows(r.rows().size()) + " in " + batches(r.batches()) + " (" + span + ", "
                    + r.from() + " to " + r.to() + "):");
            byModel(r).forEach((model, counts) -> out.printf("  %-24s %s, %d %s%n", model, rows((int) counts[0]), counts[1],
                    counts[1] == 1 ? "request" : "requests"));
        } else {
            out.println("✓ Sent " + rows(r.rows().size()) + " in " + batches(r.batchesSent()) + ": " + r.stored() + " stored, "
                    + r.unchanged() + " unchanged, " + r.refused() + " refused");
        }
    }

    private static ObjectNode toJson(ExportResult r) {
        ObjectNode node = Json.lenient().createObjectNode();
        node.put("dry_run", r.dryRun());
        node.put("from", r.from().toString());
        node.put("to", r.to().toString());
        node.put("rows", r.rows().size());
        node.put("batches", r.batches());
        node.put("batches_sent", r.batchesSent());
        node.put("stored", r.stored());
        node.put("unchanged", r.unchanged());
        node.put("refused", r.refused());
        node.put("retries", r.retries());
        ObjectNode models = node.putObject("models");
        byModel(r).forEach((model, counts) -> models.putObject(model).put("rows", counts[0]).put("requests", counts[1]));
        return node;
    }

    /** Rows and requests per model, sorted by model. */
    private static Map<String, long[]> byModel(ExportResult r) {
        Map<String, long[]> models = new TreeMap<>();
        for (RollupRow row : r.rows()) {
            long[] counts = models.computeIfAbsent(row.model(), m -> new long[2]);
            counts[0]++;
            counts[1] += row.requests();
        }
        return models;
    }

    private static String rows(int n) {
        return n + (n == 1 ? " row" : " rows");
    }

    private static String batches(int n) {
        return n + (n == 1 ? " batch" : " batches");
    }

    /** One line per batch and per retry. */
    private static final class Progress implements ExportListener {
        private final PrintStream out;
        private ExportResult last;

        Progress(PrintStream out) {
            this.out = out;
        }

        @Override
        public void onStart(ExportResult plan) {
            last = plan;
            out.println("Sending " + rows(plan.rows().size()) + " in " + batches(plan.batches()) + "…");
        }

        @Override
        public void onBatch(ExportResult soFar) {
            // The server accounts for every row of a batch as stored, unchanged or refused.
            long sent = (soFar.stored() + soFar.unchanged() + soFar.refused()) - (last.stored() + last.unchanged() + last.refused());
            out.println("  batch " + soFar.batchesSent() + "/" + soFar.batches() + ": " + rows((int) sent) + " — "
                    + (soFar.stored() - last.stored()) + " stored, " + (soFar.unchanged() - last.unchanged()) + " unchanged, "
                    + (soFar.refused() - last.refused()) + " refused");
            last = soFar;
        }

        @Override
        public void onRetry(int attempt, Duration wait, String reason) {
            out.println("  " + reason + " — retrying in " + seconds(wait) + " (attempt " + (attempt + 1) + ")");
        }

        private static String seconds(Duration wait) {
            long ms = wait.toMillis();
            return ms < 1000 ? ms + " ms" : (ms + 500) / 1000 + " s";
        }
    }
}
