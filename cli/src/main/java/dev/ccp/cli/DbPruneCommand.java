package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import dev.ccp.spi.store.UsageStore;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code ccp db prune}: what the store does hourly on its own, now. */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Delete raw usage events older than the retention (30 days) now, and compact the store.",
            "Their hourly rollups stay (400 days). The store also prunes itself about hourly."})
final class DbPruneCommand implements Callable<Integer> {

    @ParentCommand
    DbCommand parent;

    @Override
    public Integer call() {
        UsageStore.Pruned pruned;
        Duration retention;
        try (CcpClient client = parent.client()) {
            pruned = client.usage().prune();
            retention = client.usage().retention();
        }
        parent.context().out().println("✓ Pruned " + pruned.events() + (pruned.events() == 1 ? " raw event" : " raw events")
                + " older than " + retention.toDays() + " days; their hourly rollups stay"
                + (pruned.rollups() == 0 ? "" : " (" + pruned.rollups() + " rollup rows older than 400 days went too)"));
        return ExitCodes.OK;
    }
}
