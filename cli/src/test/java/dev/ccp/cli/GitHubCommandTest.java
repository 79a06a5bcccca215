package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.spi.wire.Json;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class GitHubCommandTest extends CliFixture {

    private static final String CONNECTED =
            "Connected GitHub installation 71001 (acme-gh) to org acme: its pull requests are reviewed with the org's prod policy.";

    @Test
    void connectPrintsOneLineAndCallsTheOrgsPathWithTheBearerToken() throws IOException {
        login();
        server.gitHub.installed.put(71001L, "acme-gh");

        Run run = ccp("github", "connect", "71001");

        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).containsExactly(CONNECTED);
        assertThat(run.err()).isEmpty();
        String token = Json.lenient().readTree(home.resolve("credentials.json").toFile()).path("access_token").asText();
        assertThat(token).isNotBlank();
        assertThat(server.authorizations).contains("POST /v1/orgs/acme/github/installations/71001 Bearer " + token);
        assertThat(server.gitHub.connectedTo).containsEntry(71001L, "acme");
    }

    @Test
    void connectToTheOrgNamed() {
        login();
        server.gitHub.installed.put(71001L, "acme-gh");

        Run run = ccp("github", "connect", "71001", "--org", "acme");

        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).containsExactly(CONNECTED);
    }

    @Test
    void anInstallationOfAnotherOrgExitsNineWithTheServersDetail() {
        login();
        server.gitHub.installed.put(71001L, "acme-gh");
        server.gitHub.connectedTo.put(71001L, "globex");

        Run run = ccp("github", "connect", "71001");

        assertThat(run.exit()).isEqualTo(9);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly(
                "ccp: GitHub installation 71001 is connected to another CCP org; an owner or admin there disconnects it first");
        assertThat(server.gitHub.connectedTo).containsEntry(71001L, "globex");
    }

    @Test
    void anInstallationGitHubDoesNotKnowExitsNine() {
        login();

        Run run = ccp("github", "connect", "404");

        assertThat(run.exit()).isEqualTo(9);
        assertThat(run.errLines()).containsExactly("ccp: GitHub knows no installation 404 of this app; install the app on GitHub first");
    }

    @Test
    void aMemberExitsSix() {
        login();
        server.gitHub.installed.put(71001L, "acme-gh");
        server.adminOnly = true;

        Run run = ccp("github", "connect", "71001");

        assertThat(run.exit()).isEqualTo(6);
        assertThat(run.errLines()).containsExactly(
                "ccp: only owners and admins of acme connect GitHub installations — ask an owner or admin of the org");
    }

    @Test
    void aServerWithoutTheAppExitsFive() {
        login();
        server.gitHub.noApp = true;

        Run run = ccp("github", "connect", "71001");

        assertThat(run.exit()).isEqualTo(5);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).startsWith("ccp: this server has no CCP_GITHUB_APP_ID and CCP_GITHUB_PRIVATE_KEY");
    }

    @Test
    void anIdThatIsNotANumberIsAUsageError() {
        login();

        Run run = ccp("github", "connect", "acme-gh");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
        assertThat(server.requests).noneMatch(r -> r.contains("/github/"));
    }

    @Test
    void disconnectPrintsOneLineAndLeavesOtherOrgsAlone() {
        login();
        server.gitHub.installed.put(71001L, "acme-gh");
        server.gitHub.connectedTo.put(71001L, "acme");
        server.gitHub.installed.put(81000L, "globex");
        server.gitHub.connectedTo.put(81000L, "globex");

        Run run = ccp("github", "disconnect", "71001");

        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).containsExactly("Disconnected GitHub installation 71001 from org acme: its pull requests are no longer"
                + " reviewed. Uninstall the app on GitHub to remove it there too.");
        assertThat(server.requests).contains("DELETE /v1/orgs/acme/github/installations/71001");
        assertThat(server.gitHub.connectedTo).doesNotContainKey(71001L);

        Run other = ccp("github", "disconnect", "81000");

        assertThat(other.exit()).isEqualTo(9);
        assertThat(other.errLines()).containsExactly("ccp: GitHub installation 81000 is not connected to this org");
        assertThat(server.gitHub.connectedTo).containsEntry(81000L, "globex");
    }

    @Test
    void listPrintsATable() {
        login();
        server.gitHub.installed.put(71001L, "acme-gh");
        server.gitHub.installed.put(71002L, "acme-labs");
        server.gitHub.connectedTo.put(71001L, "acme");
        server.gitHub.connectedTo.put(71002L, "acme");
        server.gitHub.installed.put(81000L, "globex");
        server.gitHub.connectedTo.put(81000L, "globex");

        Run run = ccp("github", "list");

        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).containsExactly(
                "ID     ACCOUNT    STATUS",
                "71001  acme-gh    connected",
                "71002  acme-labs  connected");
        assertThat(server.requests).contains("GET /v1/orgs/acme/github/installations");
    }

    @Test
    void listAsJson() throws IOException {
        login();
        server.gitHub.installed.put(71001L, "acme-gh");
        server.gitHub.connectedTo.put(71001L, "acme");

        Run run = ccp("github", "list", "--json");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("\"id\" : 71001").contains("\"account\" : \"acme-gh\"").contains("\"connected\" : true");
        assertThat(Json.lenient().readTree(run.out()).isArray()).isTrue();
        assertThat(Json.lenient().readTree(run.out())).hasSize(1);
    }

    @Test
    void anEmptyListSaysHowToConnectOne() {
        login();

        Run run = ccp("github", "list");

        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).containsExactly(
                "No GitHub installations connected to acme — connect one with `ccp github connect INSTALLATION_ID`");
    }

    @Test
    void githubCommandsNeedALogin() {
        Run run = ccp("github", "list");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.errLines()).containsExactly("ccp: not logged in — run `ccp login`");
    }
}
