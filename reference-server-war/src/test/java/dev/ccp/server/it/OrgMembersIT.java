package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrgMembersIT extends ServerIT {

    @Test
    void pendingMemberClaimsTheSeatAtFirstLoginToThatOrg() {
        Http http = new Http(base);
        String ownerToken = Logins.accessToken(http, Logins.unique("owner"), null);
        String org = Http.body(http.get("v1/me", ownerToken)).get("org").asText();
        http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":\"team\"}");

        String dev = Logins.unique("dev");
        HttpResponse<String> added = http.json("POST", "v1/orgs/" + org + "/members", ownerToken, "{\"login\":\"" + dev + "\",\"role\":\"member\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        assertThat(Http.body(added).get("status").asText()).isEqualTo("pending");
        String seat = Http.body(added).get("seat").asText();

        String devToken = Logins.accessToken(http, dev, org);
        JsonNode me = Http.body(http.get("v1/me", devToken));
        assertThat(me.get("org").asText()).isEqualTo(org);
        assertThat(me.get("orgs")).hasSize(2);
        JsonNode status = Http.body(http.get("v1/license/status", devToken));
        assertThat(status.get("plan").asText()).isEqualTo("team");
        assertThat(status.get("seat").asText()).isEqualTo(seat);

        JsonNode members = Http.body(http.get("v1/orgs/" + org + "/members", ownerToken));
        assertThat(members).hasSize(2);
        assertThat(members.findValuesAsText("status")).containsOnly("active");
    }

    @Test
    void loginToAnOrgThePersonIsNotInIsRefusedOnThePage() {
        Http http = new Http(base);
        String ownerToken = Logins.accessToken(http, Logins.unique("solo"), null);
        String org = Http.body(http.get("v1/me", ownerToken)).get("org").asText();

        JsonNode device = Http.body(http.form("oauth/device_authorization", Http.fields("client_id", Logins.CLIENT, "org", org)));
        HttpResponse<String> page = new Person(http, Logins.unique("intruder")).approve(device.get("user_code").asText());
        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).contains("is not a member of org " + org);
    }

    @Test
    void seatLimitAndRolesAreEnforced() {
        Http http = new Http(base);
        String ownerToken = Logins.accessToken(http, Logins.unique("freeowner"), null);
        String org = Http.body(http.get("v1/me", ownerToken)).get("org").asText();

        HttpResponse<String> overLimit = http.json("POST", "v1/orgs/" + org + "/members", ownerToken, "{\"login\":\"octocat\"}");
        assertThat(overLimit.statusCode()).isEqualTo(409);
        assertThat(Http.body(overLimit).get("type").asText()).endsWith("/seat-limit");
        assertThat(Http.body(overLimit).get("detail").asText()).contains("holds all 1 seats of its Free plan");

        String member = Logins.unique("plain");
        http.json("POST", "v1/orgs/" + org + "/members", ownerToken, "{\"login\":\"" + member + "\",\"seat\":false}");
        String memberToken = Logins.accessToken(http, member, org);
        assertThat(http.get("v1/orgs/" + org + "/members", memberToken).statusCode()).isEqualTo(403);
        HttpResponse<String> noSeat = http.get("v1/license", memberToken);
        assertThat(noSeat.statusCode()).isEqualTo(403);
        assertThat(Http.body(noSeat).get("type").asText()).endsWith("/no-seat");

        assertThat(http.json("DELETE", "v1/orgs/" + org + "/members/" + member, ownerToken, null).statusCode()).isEqualTo(204);
        assertThat(http.get("v1/license/status", memberToken).statusCode()).as("a removed member's session ends").isEqualTo(401);
    }

    @Test
    void orgAIsInvisibleToOrgB() {
        Http http = new Http(base);
        String alice = Logins.accessToken(http, Logins.unique("alice"), null);
        String bob = Logins.accessToken(http, Logins.unique("bob"), null);
        String aliceOrg = Http.body(http.get("v1/me", alice)).get("org").asText();

        assertThat(http.get("v1/orgs/" + aliceOrg + "/members", bob).statusCode()).isEqualTo(404);
        assertThat(http.json("POST", "v1/orgs/" + aliceOrg + "/members", bob, "{\"login\":\"bob-friend@example.com\"}").statusCode()).isEqualTo(404);
        assertThat(http.json("DELETE", "v1/orgs/" + aliceOrg + "/members/x@example.com", bob, null).statusCode()).isEqualTo(404);
        assertThat(http.get("v1/orgs/no-such-org/members", bob).statusCode()).isEqualTo(404);
    }

    @Test
    void ownersManageRolesAndSeatsWithTheCliAndMembersLeave(@TempDir Path homes) throws Exception {
        Http http = new Http(base);
        String owner = Logins.unique("cliowner");
        Cli ownerCli = new Cli(homes.resolve("owner"), http.base());
        CliEndToEndIT.loggedIn(CliEndToEndIT.login(ownerCli, http, owner));
        String org = Http.body(http.get("v1/me", ownerCli.run("token").out().strip())).get("org").asText();
        http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":\"team\",\"seats\":2}");
        String dev = Logins.unique("clidev");
        assertThat(ownerCli.run("org", "add", dev, "--no-seat").exit()).isZero();

        Cli devCli = new Cli(homes.resolve("dev"), http.base());
        CliEndToEndIT.loggedIn(CliEndToEndIT.login(devCli, http, dev, "--org", org));

        Cli.Result role = ownerCli.run("org", "role", dev, "admin");
        assertThat(role.exit()).as(role.err()).isZero();
        assertThat(role.out()).contains(dev + " is now admin of " + org);
        Cli.Result assign = ownerCli.run("org", "assign", dev);
        assertThat(assign.exit()).as(assign.err()).isZero();
        assertThat(ownerCli.run("org", "seats").out()).contains("2 of 2 seats taken, 0 free");

        Cli.Result demoteLastOwner = devCli.run("org", "role", owner, "member");
        assertThat(demoteLastOwner.exit()).isNotZero();
        assertThat(demoteLastOwner.err().strip()).startsWith("ccp:").contains("only owners make or unmake owners").doesNotContain("\n");
        Cli.Result ownerLeaves = ownerCli.run("org", "leave");
        assertThat(ownerLeaves.exit()).isNotZero();
        assertThat(ownerLeaves.err()).contains("keeps at least one owner");

        assertThat(ownerCli.run("org", "unassign", dev).exit()).isZero();
        assertThat(ownerCli.run("org", "seats").out()).contains("1 of 2 seats taken, 1 free");
        Cli.Result leave = devCli.run("org", "leave");
        assertThat(leave.exit()).as(leave.err()).isZero();
        assertThat(devCli.run("status").exit()).as("a member who left is logged out of the org").isNotZero();
        assertThat(Http.body(http.get("v1/orgs/" + org + "/members", ownerCli.run("token").out().strip())).findValuesAsText("login"))
                .containsExactly(owner);

        Cli.Result list = ownerCli.run("audit", "list");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("license.plan_changed  operator", "member.added", "member.role_changed", "seat.assigned",
                "seat.unassigned", "member.left");
        Path export = homes.resolve("audit.jsonl");
        assertThat(ownerCli.run("audit", "export", "-o", export.toString()).exit()).isZero();
        Cli.Result verified = ownerCli.run("audit", "verify", export.toString());
        assertThat(verified.exit()).as(verified.err()).isZero();
        assertThat(verified.out()).contains("entries of org", "fit together");

        java.util.List<String> lines = new java.util.ArrayList<>(java.nio.file.Files.readAllLines(export));
        lines.set(1, lines.get(1).replace("\"role\":\"member\"", "\"role\":\"owner\""));
        java.nio.file.Files.write(export, lines);
        Cli.Result tampered = ownerCli.run("audit", "verify", export.toString());
        assertThat(tampered.exit()).as(tampered.out()).isEqualTo(11);
        assertThat(tampered.err()).contains("audit entry 2 was changed after it was written");
    }

    @Test
    void anInviteLinkLetsOnePersonJoinAndTheCliLogsThemIn(@TempDir Path homes) throws Exception {
        Http http = new Http(base);
        String owner = Logins.unique("inviter");
        Cli ownerCli = new Cli(homes.resolve("owner"), http.base());
        CliEndToEndIT.loggedIn(CliEndToEndIT.login(ownerCli, http, owner));
        String org = Http.body(http.get("v1/me", ownerCli.run("token").out().strip())).get("org").asText();
        http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":\"team\",\"seats\":3}");

        Cli.Result made = ownerCli.run("org", "invite", "--link", "--role", "admin");
        assertThat(made.exit()).as(made.err()).isZero();
        String url = made.out().lines().filter(l -> l.contains("/invite/")).findFirst().orElseThrow().strip();
        String guest = Logins.unique("guest");
        HttpResponse<String> joined = new Person(http, guest).acceptInvite(url);
        assertThat(joined.statusCode()).as(joined.body()).isEqualTo(200);
        assertThat(joined.body()).contains("joined", org, "ccp login --org " + org);

        HttpResponse<String> again = new Person(http, Logins.unique("latecomer")).acceptInvite(url);
        assertThat(again.statusCode()).isEqualTo(410);
        assertThat(again.body()).contains("was used already");
        assertThat(http.get("invite/not-a-token", null).statusCode()).isEqualTo(404);

        Cli guestCli = new Cli(homes.resolve("guest"), http.base());
        CliEndToEndIT.loggedIn(CliEndToEndIT.login(guestCli, http, guest, "--org", org));
        Cli.Result status = guestCli.run("status");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("team");

        String byEmail = Logins.unique("emailed");
        assertThat(ownerCli.run("org", "invite", byEmail, "--no-seat").exit()).isZero();
        Cli.Result listed = ownerCli.run("org", "invites");
        assertThat(listed.out()).contains("(link)  admin with seat  used", byEmail + "  member  open");
        Cli emailedCli = new Cli(homes.resolve("emailed"), http.base());
        CliEndToEndIT.loggedIn(CliEndToEndIT.login(emailedCli, http, byEmail, "--org", org));
        assertThat(ownerCli.run("org", "invites").out()).contains(byEmail + "  member  used");

        String otherOwner = Logins.accessToken(http, Logins.unique("outsider"), null);
        assertThat(http.get("v1/orgs/" + org + "/invites", otherOwner).statusCode()).as("another org's invites").isEqualTo(404);
    }

    @Test
    void anAddressTryingInviteTokensIsSlowedDown() {
        Http http = new Http(base);
        String address = "203.0.113." + (1 + new Random().nextInt(250));
        HttpResponse<String> last = null;
        // Up to two windows of tries: a minute may turn over while the first fills.
        for (int i = 0; i < 250; i++) {
            last = http.send(HttpRequest.newBuilder(http.uri("invite/guess-" + i)).header("X-Forwarded-For", address).GET());
            if (last.statusCode() != 404) {
                break;
            }
        }
        assertThat(last.statusCode()).as("after CCP_SIGNINS_PER_MINUTE tries").isEqualTo(429);
        assertThat(last.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 60));
        assertThat(last.body()).contains("Too many tries");
        assertThat(http.get("invite/guess-0", null).statusCode()).as("other addresses go on").isEqualTo(404);
    }
}
