package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.license.LicensePackCodec;
import dev.ccp.spi.license.LicenseStatus;
import dev.ccp.spi.license.Verification;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LicenseIT extends ServerIT {

    @Test
    void readinessAnswersOnceTheServerCanServe() {
        HttpResponse<String> ready = new Http(base).get("health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(Http.body(ready).get("status").asText()).isEqualTo("UP");
    }

    @Test
    void pingIsAnsweredByTheApplicationWithoutATokenOrABody() {
        // 204, not the server's own 200 health document: the request reached the WAR.
        HttpResponse<String> ping = new Http(base).get("v1/ping", null);
        assertThat(ping.statusCode()).isEqualTo(204);
        assertThat(ping.body()).isEmpty();
    }

    @Test
    void jwksPublishesOneEd25519KeyPerPurposeWithoutPrivateParts() {
        HttpResponse<String> jwks = new Http(base).get(".well-known/jwks.json", null);
        assertThat(jwks.statusCode()).isEqualTo(200);
        assertThat(jwks.body()).doesNotContain("\"d\"");
        KeyRing ring = KeyRing.parseJwks(jwks.body());
        assertThat(ring.forPurpose("access").keys()).hasSize(1);
        assertThat(ring.forPurpose("license").keys()).hasSize(1);
        assertThat(ring.forPurpose("policy").keys()).hasSize(1);
        assertThat(jwks.body()).contains("\"kty\":\"OKP\"", "\"crv\":\"Ed25519\"");
    }

    @Test
    void licensePackVerifiesOfflineAgainstThePublishedKey() {
        Http http = new Http(base);
        String token = Logins.accessToken(http, Logins.unique("ada"), null);
        HttpResponse<String> pack = http.get("v1/license", token);
        assertThat(pack.statusCode()).isEqualTo(200);
        assertThat(pack.headers().firstValue("Content-Type").orElse("")).startsWith("application/jwt");

        KeyRing ring = KeyRing.parseJwks(http.get(".well-known/jwks.json", null).body()).forPurpose("license");
        Verification v = new LicensePackCodec().verify(pack.body(), ring, Instant.now(), null);
        assertThat(v.status()).isEqualTo(LicenseStatus.VALID);
        assertThat(v.claims().plan()).isEqualTo("free");
        assertThat(v.claims().iss()).isEqualTo(http.base());

        KeyRing accessKeys = KeyRing.parseJwks(http.get(".well-known/jwks.json", null).body()).forPurpose("access");
        assertThat(new LicensePackCodec().verify(pack.body(), accessKeys, Instant.now(), null).status())
                .as("a pack is not trusted under an access-token key").isEqualTo(LicenseStatus.UNKNOWN_KEY);
    }

    @Test
    void operatorGrantPutsTheOrgOnThePlanWithItsEntitlements() {
        Http http = new Http(base);
        String login = Logins.unique("trial");
        String token = Logins.accessToken(http, login, null);
        String org = Http.body(http.get("v1/me", token)).get("org").asText();

        HttpResponse<String> granted = http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR,
                "{\"plan\":\"team\",\"seats\":12,\"expires_at\":\"2099-01-01T00:00:00Z\",\"reason\":\"trial for ticket 42\"}");
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);
        assertThat(Http.body(granted).get("cause").asText()).isEqualTo("operator grant: trial for ticket 42");

        JsonNode status = Http.body(http.get("v1/license/status", token));
        assertThat(status.get("plan").asText()).isEqualTo("team");
        assertThat(status.get("seats").asInt()).isEqualTo(12);
        assertThat(status.get("org").asText()).isEqualTo(org);
        assertThat(status.get("entitlements").get("dashboards").asBoolean()).isTrue();
        assertThat(status.get("expires_at").asText()).isEqualTo("2099-01-01T00:00:00Z");
        assertThat(status.get("state").asText()).isEqualTo("active");
    }

    @Test
    void operatorEndpointRefusesAWrongToken() {
        Http http = new Http(base);
        HttpResponse<String> none = http.json("POST", "v1/operator/orgs/anything/license", null, "{\"plan\":\"pro\"}");
        HttpResponse<String> wrong = http.json("POST", "v1/operator/orgs/anything/license", OPERATOR + "x", "{\"plan\":\"pro\"}");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }

    @Test
    void badRequestsAreProblemsNeverServerErrors() {
        Http http = new Http(base);
        String token = Logins.accessToken(http, Logins.unique("typo"), null);
        String org = Http.body(http.get("v1/me", token)).get("org").asText();

        assertProblem(http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":"), 400, "bad-json");
        assertProblem(http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":\"pro\",\"colour\":\"red\"}"), 400, "bad-json");
        assertProblem(http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":\"pro\",\"seats\":\"many\"}"), 400, "bad-json");
        assertProblem(http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":\"gold\"}"), 400, "bad-request");
        assertProblem(http.json("POST", "v1/operator/orgs/no-such-org/license", OPERATOR, "{\"plan\":\"pro\"}"), 404, "not-found");
        assertProblem(http.json("POST", "v1/orgs/" + org + "/members", token, "[]"), 400, "bad-json");
        assertProblem(http.get("v1/nothing-here", token), 404, "not-found");
        assertProblem(http.json("DELETE", "v1/license", token, null), 405, "method-not-allowed");
        assertProblem(http.get("v1/license/status", "garbage"), 401, "unauthorized");
        assertProblem(http.get("v1/license/status", null), 401, "unauthorized");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = Http.body(response);
        assertThat(problem.get("type").asText()).isEqualTo("https://ccp.dev/problems/" + slug);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception", "\tat ");
    }
}
