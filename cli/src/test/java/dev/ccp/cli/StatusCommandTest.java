package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.spi.license.LicenseVectors;
import dev.ccp.spi.wire.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

class StatusCommandTest extends CliFixture {

    @Test
    void statusShowsPlanFeaturesSeatAndExpiry() {
        login();

        Run run = ccp("status");

        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines()).containsExactly(
                "Logged in as alice@example.com to org acme on " + server.uri(),
                "  Plan:        pro",
                "  Features:    dashboards, privacy_tier=minimized, zai_offload",
                "  Org:         acme",
                "  Seat:        seat_1",
                "  Expires:     " + clock.instant().plus(Duration.ofDays(14)),
                "  Grace until: " + clock.instant().plus(Duration.ofDays(21)),
                "  License:     valid (valid until " + clock.instant().plus(Duration.ofDays(14)) + ")",
                "  Server:      active");
    }

    @Test
    void jsonHasTheDocumentedFields() throws Exception {
        login();

        Run run = ccp("status", "--json");

        JsonNode json = Json.lenient().readTree(run.out());
        assertThat(run.exit()).isZero();
        assertThat(json.path("plan").asText()).isEqualTo("pro");
        assertThat(json.path("entitlements").path("zai_offload").asBoolean()).isTrue();
        assertThat(json.path("org").asText()).isEqualTo("acme");
        assertThat(json.path("seat").asText()).isEqualTo("seat_1");
        assertThat(json.path("expires_at").asText()).endsWith("Z");
        assertThat(json.path("grace_until").asText()).endsWith("Z");
        assertThat(json.path("state").asText()).isEqualTo("valid");
        assertThat(json.path("server_state").asText()).isEqualTo("active");
    }

    @Test
    void onlineStatusPicksUpAPlanChangedOnTheServer() {
        login();
        server.plan = "team";

        Run run = ccp("status", "--json");

        assertThat(run.out()).contains("\"plan\" : \"team\"");
    }

    @Test
    void notLoggedInExitsThree() {
        Run run = ccp("status");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.errLines()).containsExactly("ccp: not logged in — run `ccp login`");
    }

    @Test
    void expiredLicenseExitsFourWithOneLine() {
        login();
        server.close();
        clock.advance(Duration.ofDays(30));

        Run run = ccp("status", "--offline");

        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).startsWith("ccp: license expired: expired at ").contains("renew the plan");
    }

    @Test
    void tamperedLicenseExitsFour() throws Exception {
        login();
        Files.writeString(home.resolve("license.jws"), LicenseVectors.TAMPERED_PAYLOAD);

        Run run = ccp("status", "--offline", "--json");

        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.out()).contains("\"state\" : \"bad_signature\"");
        assertThat(run.errLines()).containsExactly("ccp: license tampered with: signature does not match the content"
                + " — run `ccp login` to fetch a fresh license");
    }

    @Test
    void unreachableServerExitsFiveUnlessOffline() {
        login();
        server.close();

        Run online = ccp("status");
        Run offline = ccp("status", "--offline", "--json");

        assertThat(online.exit()).isEqualTo(5);
        assertThat(online.errLines()).hasSize(1);
        assertThat(offline.exit()).isZero();
        assertThat(offline.out()).contains("\"server_state\" : null");
    }

    @Test
    void offlineStatusNeverTouchesTheNetwork() {
        login();
        server.requests.clear();

        ccp("status", "--offline");

        assertThat(server.requests).isEmpty();
    }

    @Test
    void aCommandLineReadByHandRunsAsPicocliWouldRunIt() throws Exception {
        login();
        Path pack = home.resolve("license.jws");
        String valid = Files.readString(pack);

        for (String stored : List.of(valid, LicenseVectors.TAMPERED_PAYLOAD)) {
            for (List<String> args : List.of(List.of("status"), List.of("status", "--offline"), List.of("status", "--json", "--offline"))) {
                String[] line = args.toArray(String[]::new);
                Files.writeString(pack, stored);
                Run byHand = ccp(line);
                Files.writeString(pack, stored);
                Run byPicocli = ccpWithModel(line);

                assertThat(StatusCommand.plain(null, line)).as(args.toString()).isNotNull();
                assertThat(byHand).as(args.toString()).isEqualTo(byPicocli);
            }
        }
    }

    @Test
    void anyOtherCommandLineIsLeftToPicocli() {
        for (List<String> args : List.<List<String>>of(List.of(), List.of("statu"), List.of("status", "--offline", "--offline"),
                List.of("status", "-h"), List.of("status", "--server", "https://ccp.example.com"),
                List.of("--server", "https://ccp.example.com", "status"), List.of("status", "--offline=true"),
                List.of("login", "--offline"))) {
            assertThat(StatusCommand.plain(null, args.toArray(String[]::new))).as(args.toString()).isNull();
        }
        assertThat(ccp("status", "--offline", "--offline").errLines())
                .containsExactly("ccp: option '--offline' should be specified only once — see `ccp status --help`");
    }

    @Test
    void theCommandLineReadByHandKnowsEveryOptionStatusHas() {
        CommandSpec spec = new CommandLine(new StatusCommand()).getCommandSpec();

        List<String> options = spec.options().stream()
                .filter(option -> !option.usageHelp() && !option.versionHelp())
                .map(OptionSpec::longestName)
                .toList();

        // StatusCommand.plain sets these fields by hand; an option it does not know (or a default
        // only picocli would apply) must be taught to it.
        assertThat(options).containsExactlyInAnyOrder("--json", "--offline");
        assertThat(spec.options()).filteredOn(option -> !option.usageHelp() && !option.versionHelp())
                .allSatisfy(option -> assertThat(option.defaultValue()).isNull());
    }

    @Test
    void revokedSessionExitsThree() {
        login();
        server.revokeAll();
        clock.advance(Duration.ofHours(2));

        Run run = ccp("status");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.errLines()).containsExactly("ccp: the session was revoked or has expired — run `ccp login` again");
    }
}
