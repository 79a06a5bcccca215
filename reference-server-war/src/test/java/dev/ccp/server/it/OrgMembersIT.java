package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

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
}
