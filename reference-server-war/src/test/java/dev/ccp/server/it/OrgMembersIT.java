package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.spi.audit.AuditChain;
import dev.ccp.spi.audit.AuditEntry;
import dev.ccp.spi.wire.JsonValues;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
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
        JsonNode joined = Http.body(http.get("v1/orgs/" + org + "/audit?action=member.joined", ownerToken)).get("entries");
        assertThat(joined).as("taking up the membership is in the org's log").hasSize(1);
        assertThat(joined.get(0).get("actor_id").asText()).isEqualTo(me.get("user").asText());
        assertThat(joined.get(0).get("targets").get("login").asText()).isEqualTo(dev);
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
    void everyOrgEndpointRefusesAnotherOrgsOwnerAndChangesNothing() {
        Http http = new Http(base);
        String alice = Logins.accessToken(http, Logins.unique("alice"), null);
        String bob = Logins.accessToken(http, Logins.unique("bob"), null);
        String aliceOrg = Http.body(http.get("v1/me", alice)).get("org").asText();
        String bobOrg = Http.body(http.get("v1/me", bob)).get("org").asText();
        http.json("POST", "v1/operator/orgs/" + aliceOrg + "/license", OPERATOR, "{\"plan\":\"team\",\"seats\":5}");
        String carol = Logins.unique("carol");
        assertThat(http.json("POST", "v1/orgs/" + aliceOrg + "/members", alice, "{\"login\":\"" + carol + "\"}").statusCode()).isEqualTo(201);
        String invite = Http.body(http.json("POST", "v1/orgs/" + aliceOrg + "/invites", alice, "{\"role\":\"member\"}")).get("id").asText();
        String membersBefore = http.get("v1/orgs/" + aliceOrg + "/members", alice).body();
        String invitesBefore = http.get("v1/orgs/" + aliceOrg + "/invites", alice).body();
        String auditBefore = http.get("v1/orgs/" + aliceOrg + "/audit", alice).body();

        // Bob, owner of his own org, names Alice's org, or his own org with Alice's ids.
        List<String[]> attacks = List.of(
                new String[] {"PATCH", "v1/orgs/" + aliceOrg, "{\"k_safety\":3}"},
                new String[] {"GET", "v1/orgs/" + aliceOrg + "/members", null},
                new String[] {"POST", "v1/orgs/" + aliceOrg + "/members", "{\"login\":\"bob-friend@example.com\"}"},
                new String[] {"DELETE", "v1/orgs/" + aliceOrg + "/members/" + carol, null},
                new String[] {"PUT", "v1/orgs/" + aliceOrg + "/members/" + carol + "/role", "{\"role\":\"admin\"}"},
                new String[] {"PUT", "v1/orgs/" + aliceOrg + "/members/" + carol + "/seat", null},
                new String[] {"DELETE", "v1/orgs/" + aliceOrg + "/members/" + carol + "/seat", null},
                new String[] {"GET", "v1/orgs/" + aliceOrg + "/seats", null},
                new String[] {"GET", "v1/orgs/" + aliceOrg + "/invites", null},
                new String[] {"POST", "v1/orgs/" + aliceOrg + "/invites", "{\"role\":\"owner\"}"},
                new String[] {"DELETE", "v1/orgs/" + aliceOrg + "/invites/" + invite, null},
                new String[] {"POST", "v1/orgs/" + aliceOrg + "/invites/" + invite + "/resend", null},
                new String[] {"DELETE", "v1/orgs/" + bobOrg + "/invites/" + invite, null},
                new String[] {"POST", "v1/orgs/" + bobOrg + "/invites/" + invite + "/resend", null},
                new String[] {"DELETE", "v1/orgs/" + bobOrg + "/members/" + carol, null},
                new String[] {"PUT", "v1/orgs/" + bobOrg + "/members/" + carol + "/seat", null},
                new String[] {"GET", "v1/orgs/" + aliceOrg + "/sso", null},
                new String[] {"DELETE", "v1/orgs/" + aliceOrg + "/sso", null},
                new String[] {"GET", "v1/orgs/" + aliceOrg + "/audit", null},
                new String[] {"GET", "v1/orgs/" + aliceOrg + "/audit?format=jsonl", null},
                new String[] {"GET", "v1/orgs/" + aliceOrg + "/github/installations", null});
        for (String[] attack : attacks) {
            HttpResponse<String> answer = http.json(attack[0], attack[1], bob, attack[2]);
            assertThat(answer.statusCode()).as(attack[0] + " " + attack[1] + ": " + answer.body()).isIn(403, 404);
            assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(Http.body(answer).get("detail").asText()).as("nothing of Alice's org in the refusal").doesNotContain("team");
        }
        HttpResponse<String> none = http.get("v1/orgs/no-such-org/members", bob);
        HttpResponse<String> hers = http.get("v1/orgs/" + aliceOrg + "/members", bob);
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(Http.body(hers).get("detail").asText().replace(aliceOrg, "no-such-org"))
                .as("an org that exists reads like one that does not").isEqualTo(Http.body(none).get("detail").asText());

        assertThat(http.get("v1/orgs/" + aliceOrg + "/members", alice).body()).isEqualTo(membersBefore);
        assertThat(http.get("v1/orgs/" + aliceOrg + "/invites", alice).body()).isEqualTo(invitesBefore);
        assertThat(http.get("v1/orgs/" + aliceOrg + "/audit", alice).body()).as("no entry in Alice's log").isEqualTo(auditBefore);
    }

    @Test
    void theAuditLogIsReadAPageAtATimeAndFilteredByActorActionAndTime() {
        Http http = new Http(base);
        String owner = Logins.accessToken(http, Logins.unique("pager"), null);
        String org = Http.body(http.get("v1/me", owner)).get("org").asText();
        http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":\"team\",\"seats\":9}");
        for (int i = 0; i < 5; i++) {
            assertThat(http.json("POST", "v1/orgs/" + org + "/members", owner, "{\"login\":\"" + Logins.unique("paged") + "\"}").statusCode())
                    .isEqualTo(201);
        }
        JsonNode all = Http.body(http.get("v1/orgs/" + org + "/audit?limit=500", owner)).get("entries");
        assertThat(all.size()).isGreaterThanOrEqualTo(7);

        List<Long> walked = new ArrayList<>();
        String next = "0";
        while (!next.equals("null")) {
            JsonNode page = Http.body(http.get("v1/orgs/" + org + "/audit?limit=2&after=" + next, owner));
            assertThat(page.get("entries").size()).isLessThanOrEqualTo(2);
            page.get("entries").forEach(e -> walked.add(e.get("seq").asLong()));
            next = page.get("next").asText();
        }
        assertThat(walked).as("every entry once, in order").containsExactlyElementsOf(all.findValues("seq").stream().map(JsonNode::asLong).toList());

        JsonNode byOperator = Http.body(http.get("v1/orgs/" + org + "/audit?actor=operator", owner)).get("entries");
        assertThat(byOperator).isNotEmpty();
        byOperator.forEach(e -> assertThat(e.get("actor_type").asText()).isEqualTo("operator"));
        JsonNode added = Http.body(http.get("v1/orgs/" + org + "/audit?action=member.added", owner)).get("entries");
        assertThat(added).hasSize(5);
        assertThat(Http.body(http.get("v1/orgs/" + org + "/audit?to=2000-01-01", owner)).get("entries")).isEmpty();
        assertThat(Http.body(http.get("v1/orgs/" + org + "/audit?from=2000-01-01&to=2999-12-31", owner)).get("entries")).hasSize(all.size());
        HttpResponse<String> badTime = http.get("v1/orgs/" + org + "/audit?to=yesterday", owner);
        assertThat(badTime.statusCode()).isEqualTo(400);
        assertThat(Http.body(badTime).get("detail").asText()).contains("to");
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
        assertThat(verified.out()).contains("1 checkpoint signed by the server's audit key vouches for them up to entry");
        Path jwks = homes.resolve("jwks.json");
        Files.writeString(jwks, http.get(".well-known/jwks.json", null).body());
        Cli auditor = new Cli(homes.resolve("auditor"), http.base());
        assertThat(auditor.run("audit", "verify", export.toString(), "--keys", jwks.toString()).exit()).as("an auditor without a login").isZero();
        Files.writeString(jwks, "{\"keys\":[]}");
        Cli.Result untrusted = auditor.run("audit", "verify", export.toString(), "--keys", jwks.toString());
        assertThat(untrusted.exit()).isEqualTo(11);
        assertThat(untrusted.err()).contains("not signed by a pinned audit key", "pass its keys with --keys");
        List<String> lines = Files.readAllLines(export);
        int added = IntStream.range(0, lines.size()).filter(i -> lines.get(i).contains("\"action\":\"member.added\"")).findFirst().orElseThrow();
        long seq = entry(lines.get(added)).seq();

        List<String> edited = new ArrayList<>(lines);
        edited.set(added, lines.get(added).replace("\"role\":\"member\"", "\"role\":\"owner\""));
        Files.write(export, edited);
        Cli.Result tampered = ownerCli.run("audit", "verify", export.toString());
        assertThat(tampered.exit()).as(tampered.out()).isEqualTo(11);
        assertThat(tampered.err()).contains("audit entry " + seq + " was changed after it was written");

        // Whoever edits an entry and computes every hash after it again gets a chain that fits, but
        // not the one the server signed.
        Files.write(export, rehashed(edited));
        Cli.Result rewritten = ownerCli.run("audit", "verify", export.toString());
        assertThat(rewritten.exit()).as(rewritten.out()).isEqualTo(11);
        assertThat(rewritten.err()).contains("vouches for: the log was rewritten");
    }

    @Test
    void anAuditEntryEditedInTheDatabaseFailsTheNextVerify(@TempDir Path homes) throws Exception {
        assumeTrue(System.getProperty("ccp.it.db.url", "").startsWith("jdbc:postgresql:"),
                "needs the PostgreSQL pass: the server's H2 file is open to the server alone");
        Http http = new Http(base);
        Cli cli = new Cli(homes.resolve("owner"), http.base());
        CliEndToEndIT.loggedIn(CliEndToEndIT.login(cli, http, Logins.unique("db-editor")));
        String token = cli.run("token").out().strip();
        String org = Http.body(http.get("v1/me", token)).get("org").asText();
        http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":\"team\",\"seats\":3}");
        http.json("POST", "v1/orgs/" + org + "/members", token, "{\"login\":\"" + Logins.unique("db-member") + "\"}");
        Path export = homes.resolve("audit.jsonl");
        assertThat(cli.run("audit", "export", "-o", export.toString()).exit()).isZero();
        assertThat(cli.run("audit", "verify", export.toString()).exit()).isZero();
        AuditEntry added = Files.readAllLines(export).stream().filter(l -> l.contains("\"action\":\"member.added\"")).findFirst()
                .map(OrgMembersIT::entry).orElseThrow();

        try (Connection db = DriverManager.getConnection(System.getProperty("ccp.it.db.url"), System.getProperty("ccp.it.db.user"),
                System.getProperty("ccp.it.db.password"));
                PreparedStatement edit = db.prepareStatement("update audit_entries set details = replace(details, '\"member\"', '\"owner\"')"
                        + " where org_id = ? and seq = ?")) {
            edit.setString(1, added.org());
            edit.setLong(2, added.seq());
            assertThat(edit.executeUpdate()).isEqualTo(1);
        }
        assertThat(cli.run("audit", "export", "-o", export.toString()).exit()).isZero();
        Cli.Result verified = cli.run("audit", "verify", export.toString());
        assertThat(verified.exit()).as(verified.out()).isEqualTo(11);
        assertThat(verified.err()).contains("audit entry " + added.seq() + " was changed after it was written");
    }

    private static AuditEntry entry(String line) {
        try {
            return AuditChain.fromJson(JsonValues.readObject(line.getBytes(StandardCharsets.UTF_8)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** An export with every entry's hash computed again over the entries as they now read. */
    private static List<String> rehashed(List<String> lines) throws Exception {
        List<String> out = new ArrayList<>();
        AuditEntry previous = null;
        for (String line : lines) {
            Map<String, Object> json = JsonValues.readObject(line.getBytes(StandardCharsets.UTF_8));
            if (json.containsKey("checkpoint") || json.containsKey("head")) {
                out.add(line);
                continue;
            }
            AuditEntry read = AuditChain.fromJson(json);
            AuditEntry linked = previous == null ? AuditChain.append(read.seq() - 1, read.prevHash(), read) : AuditChain.append(previous, read);
            out.add(new String(JsonValues.write(AuditChain.toJson(linked), false), StandardCharsets.UTF_8));
            previous = linked;
        }
        return out;
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

        // Without a seat the emailed invitee has the free plan's features; with one, the team plan's.
        JsonNode free = Http.body(http.get("v1/license/status", emailedCli.run("token").out().strip()));
        assertThat(free.get("plan").asText()).isEqualTo("free");
        assertThat(free.get("entitlements").get("dashboards").asBoolean()).isFalse();
        assertThat(free.get("message").asText()).contains("no seat in org " + org);
        Cli.Result assigned = ownerCli.run("org", "assign", byEmail);
        assertThat(assigned.exit()).as(assigned.err()).isZero();
        Cli.Result seated = emailedCli.run("status");
        assertThat(seated.exit()).as(seated.err()).isZero();
        assertThat(seated.out()).contains("team");
        JsonNode team = Http.body(http.get("v1/license/status", emailedCli.run("token").out().strip()));
        assertThat(team.get("entitlements").get("dashboards").asBoolean()).isTrue();

        // Resending a link gives it a new address; revoking one closes it with a page that says so.
        String linkId = ownerCli.run("org", "invite", "--link").out().lines().filter(l -> l.contains("inv_"))
                .findFirst().map(l -> l.replaceAll(".*(inv_[A-Za-z0-9_-]+).*", "$1")).orElseThrow();
        Cli.Result resent = ownerCli.run("org", "resend-invite", linkId);
        assertThat(resent.exit()).as(resent.err()).isZero();
        String newUrl = resent.out().lines().filter(l -> l.contains("/invite/")).findFirst().orElseThrow().strip();
        Cli.Result revoked = ownerCli.run("org", "revoke-invite", linkId);
        assertThat(revoked.exit()).as(revoked.err()).isZero();
        assertThat(ownerCli.run("org", "invites").out()).contains(linkId + "  (link)  member with seat  revoked");
        HttpResponse<String> closed = new Person(http, Logins.unique("too-late")).acceptInvite(newUrl);
        assertThat(closed.statusCode()).isEqualTo(410);
        assertThat(closed.body()).contains("revoked").doesNotContain("Exception");
        Cli.Result unknown = ownerCli.run("org", "revoke-invite", "inv_nosuch");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err().lines().count()).isEqualTo(1);

        String otherOwner = Logins.accessToken(http, Logins.unique("outsider"), null);
        assertThat(http.get("v1/orgs/" + org + "/invites", otherOwner).statusCode()).as("another org's invites").isEqualTo(404);
    }

    @Test
    void anInviteLinkIsAcceptedOnTheDevicePageAsTheCliLogsIn(@TempDir Path homes) throws Exception {
        Http http = new Http(base);
        String ownerToken = Logins.accessToken(http, Logins.unique("device-inviter"), null);
        String org = Http.body(http.get("v1/me", ownerToken)).get("org").asText();
        http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":\"team\",\"seats\":3}");
        String url = Http.body(http.json("POST", "v1/orgs/" + org + "/invites", ownerToken, "{\"role\":\"admin\"}")).get("url").asText();

        String guest = Logins.unique("device-guest");
        Cli.Result login = CliEndToEndIT.login(new Cli(homes.resolve("guest"), http.base()), http, guest, "--invite", url);

        CliEndToEndIT.loggedIn(login);
        assertThat(login.out()).contains("With your invite:", "Logged in as " + guest + " to org " + org + " (plan team)");
        JsonNode joined = null;
        for (JsonNode m : Http.body(http.get("v1/orgs/" + org + "/members", ownerToken))) {
            joined = m.get("login").asText().equals(guest) ? m : joined;
        }
        assertThat(joined).isNotNull();
        assertThat(joined.get("role").asText()).isEqualTo("admin");
        assertThat(joined.get("seat").isNull()).isFalse();

        JsonNode device = Http.body(http.form("oauth/device_authorization", Http.fields("client_id", Logins.CLIENT)));
        HttpResponse<String> spent = new Person(http, Logins.unique("late")).approveOnPage("device?user_code="
                + device.get("user_code").asText() + "&invite=" + java.net.URLEncoder.encode(url, StandardCharsets.UTF_8));
        assertThat(spent.statusCode()).isEqualTo(410);
        assertThat(spent.body()).contains("This invite link is used, revoked, expired or unknown");
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

    @Test
    void anAddressSigningInOverAndOverIsSlowedDown() {
        Http http = new Http(base);
        String address = "198.51.100." + (1 + new Random().nextInt(250));
        String form = Http.encode(Http.fields("csrf", "c1", "method", "sso", "sso_email", "someone@unclaimed.example"));
        HttpResponse<String> last = null;
        for (int i = 0; i < 250; i++) {
            last = http.send(HttpRequest.newBuilder(http.uri("login")).header("X-Forwarded-For", address)
                    .header("Cookie", "ccp_csrf=c1").header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)));
            if (last.statusCode() == 429) {
                break;
            }
            assertThat(last.statusCode()).as(last.body()).isBetween(200, 499);
        }
        assertThat(last.statusCode()).as("after CCP_SIGNINS_PER_MINUTE sign-ins: " + last.body()).isEqualTo(429);
        assertThat(last.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 60));
        assertThat(last.body()).contains("Too many sign-ins");
    }
}
