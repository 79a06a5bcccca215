package dev.ccp.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccp.sdk.CcpClient;
import dev.ccp.spi.store.UsageStore;
import dev.ccp.spi.wire.Json;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ccp db status}: where the usage store is and what it holds. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the usage store's path, size, event and rollup counts, and rows waiting to be exported.")
final class DbStatusCommand implements Callable<Integer> {

    @ParentCommand
    DbCommand parent;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        UsageStore.Status status;
        Duration retention;
        try (CcpClient client = parent.client()) {
            status = client.usage().storeStatus();
            retention = client.usage().retention();
        }
        PrintStream out = parent.context().out();
        if (json) {
            ObjectNode node = Json.lenient().createObjectNode();
            node.put("path", status.location());
            node.put("bytes", status.bytesOnDisk());
            node.put("events", status.events());
            node.put("oldest_event", status.oldestEvent() == null ? null : status.oldestEvent().toString());
            node.put("newest_event", status.newestEvent() == null ? null : status.newestEvent().toString());
            node.put("rollups", status.rollups());
            node.put("pending_rows", status.pendingRows());
            node.put("event_retention_days", retention.toDays());
            out.println(Json.lenient().writerWithDefaultPrettyPrinter().writeValueAsString(node));
            return ExitCodes.OK;
        }
        Rows.row(out, 9, "Store", status.location() + " (" + size(status.bytesOnDisk()) + ")");
        Rows.row(out, 9, "Events", status.events() + " raw events" + (status.events() == 0 ? ""
                : ", " + status.oldestEvent() + " … " + status.newestEvent()) + " (kept " + retention.toDays() + " days)");
        Rows.row(out, 9, "Rollups", status.rollups() + " hourly rows (kept 400 days)");
        Rows.row(out, 9, "Pending", status.pendingRows() + " rows not yet exported"
                + (status.pendingRows() == 0 ? "" : " — run `ccp export rollups`"));
        return ExitCodes.OK;
    }

    static String size(long bytes) {
        if (bytes < 0) {
            return "size unknown";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        double kb = bytes / 1024.0;
        return kb < 1024 ? String.format(Locale.ROOT, "%.0f KB", kb) : String.format(Locale.ROOT, "%.1f MB", kb / 1024);
    }
}
