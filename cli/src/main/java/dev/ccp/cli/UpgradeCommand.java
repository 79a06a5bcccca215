package dev.ccp.cli;

import dev.ccp.spi.wire.CheckoutResponse;
import java.io.PrintStream;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ccp upgrade}: opens the billing provider's checkout for a plan. The license changes once
 * the provider confirms the payment; {@code ccp status} then shows the new plan.
 */
@Command(name = "upgrade", mixinStandardHelpOptions = true,
        description = "Buy a plan for your org (owners and admins): opens the checkout page.")
final class UpgradeCommand implements Callable<Integer> {

    @ParentCommand
    CcpCommand root;

    @Option(names = "--plan", defaultValue = "pro", description = "The plan to buy (default: ${DEFAULT-VALUE}).")
    String plan;

    @Option(names = "--seats", description = "Seats to buy, for team plans.")
    Integer seats;

    @Option(names = "--provider", description = "polar or stripe (default: the server's).")
    String provider;

    @Option(names = "--no-browser", description = "Do not open a browser; print the URL only.")
    boolean noBrowser;

    @Override
    public Integer call() {
        CheckoutResponse checkout = root.client().checkout(plan, seats, provider);
        PrintStream out = root.context.out();
        out.println("Checkout for the " + checkout.plan() + " plan of org " + checkout.org() + ": " + checkout.url());
        URI page = URI.create(checkout.url());
        boolean web = "https".equals(page.getScheme()) || "http".equals(page.getScheme());
        if (!noBrowser && web && root.context.browser().open(page)) {
            out.println("Opened your browser. When the payment goes through, `ccp status` shows the new plan.");
        } else {
            out.println("Open it in your browser. When the payment goes through, `ccp status` shows the new plan.");
        }
        return ExitCodes.OK;
    }
}
