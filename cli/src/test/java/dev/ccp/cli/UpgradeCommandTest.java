package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class UpgradeCommandTest extends CliFixture {

    @Test
    void opensTheCheckoutOfTheChosenPlan() {
        login();

        Run run = ccp("upgrade", "--plan", "team", "--seats", "5", "--provider", "stripe");

        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).containsExactly("Checkout for the team plan of org acme: https://pay.example/checkout/team",
                "Opened your browser. When the payment goes through, `ccp status` shows the new plan.");
        assertThat(opened).containsExactly(URI.create("https://pay.example/checkout/team"));
        assertThat(server.checkouts).hasSize(1);
        assertThat(server.checkouts.get(0).seats()).isEqualTo(5);
        assertThat(server.checkouts.get(0).provider()).isEqualTo("stripe");
    }

    @Test
    void noBrowserPrintsTheUrlOnlyAndProIsTheDefault() {
        login();

        Run run = ccp("upgrade", "--no-browser");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("https://pay.example/checkout/pro").contains("Open it in your browser");
        assertThat(opened).isEmpty();
        assertThat(server.checkouts.get(0).plan()).isEqualTo("pro");
    }

    @Test
    void aMemberWhoMayNotBuyExitsSix() {
        login();
        server.adminOnly = true;

        Run run = ccp("upgrade", "--no-browser");

        assertThat(run.exit()).isEqualTo(6);
        assertThat(run.errLines()).containsExactly("ccp: only owners and admins of acme buy its plan — ask an owner or admin of the org");
    }
}
