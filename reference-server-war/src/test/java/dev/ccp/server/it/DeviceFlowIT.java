package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceFlowIT extends ServerIT {

    private static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";


    @Test
    void deviceAuthorizationAnswersTheRfc8628Fields() {
        Http http = new Http(base);
        HttpResponse<String> response = http.form("oauth/device_authorization", Http.fields("client_id", Logins.CLIENT, "scope", "license"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        JsonNode body = Http.body(response);
        assertThat(body.has("user_code")).as(response.body()).isTrue();
        assertThat(body.get("user_code").asText()).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
        assertThat(body.get("device_code").asText()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(body.get("verification_uri").asText()).isEqualTo(http.base() + "device");
        assertThat(body.get("verification_uri_complete").asText()).startsWith(http.base() + "device?user_code=");
        assertThat(body.get("expires_in").asLong()).isPositive();
        assertThat(body.get("interval").asLong()).isEqualTo(1);
    }

    @Test
    void pollingBeforeApprovalIsPendingThenTooFastIsSlowDown() {
        Http http = new Http(base);
        JsonNode device = Http.body(http.form("oauth/device_authorization", Http.fields("client_id", Logins.CLIENT)));
        Map<String, String> poll = Http.fields("grant_type", DEVICE_GRANT, "device_code", device.get("device_code").asText(), "client_id", Logins.CLIENT);

        HttpResponse<String> first = http.form("oauth/token", poll);
        HttpResponse<String> second = http.form("oauth/token", poll);

        assertThat(first.statusCode()).isEqualTo(400);
        assertThat(Http.body(first).get("error").asText()).isEqualTo("authorization_pending");
        assertThat(second.statusCode()).isEqualTo(400);
        assertThat(Http.body(second).get("error").asText()).isEqualTo("slow_down");
    }

    @Test
    void approvedCodeIsExchangedOnceForTokens() {
        Http http = new Http(base);
        JsonNode device = Http.body(http.form("oauth/device_authorization", Http.fields("client_id", Logins.CLIENT)));
        String lowerNoDash = device.get("user_code").asText().replace("-", "").toLowerCase();

        HttpResponse<String> page = new Person(http, Logins.unique("ada")).approve(lowerNoDash);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Approved");

        Map<String, String> poll = Http.fields("grant_type", DEVICE_GRANT, "device_code", device.get("device_code").asText(), "client_id", Logins.CLIENT);
        JsonNode tokens = Http.body(http.form("oauth/token", poll));
        assertThat(tokens.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(tokens.get("access_token").asText()).contains(".");
        assertThat(tokens.get("refresh_token").asText()).isNotBlank();
        assertThat(tokens.get("expires_in").asLong()).isPositive();

        HttpResponse<String> again = http.form("oauth/token", poll);
        assertThat(Http.body(again).get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void deniedCodeAnswersAccessDenied() {
        Http http = new Http(base);
        JsonNode device = Http.body(http.form("oauth/device_authorization", Http.fields("client_id", Logins.CLIENT)));
        HttpResponse<String> page = new Person(http, Logins.unique("mallory")).deny(device.get("user_code").asText());
        assertThat(page.body()).contains("Denied");

        HttpResponse<String> token = http.form("oauth/token", Http.fields("grant_type", DEVICE_GRANT,
                "device_code", device.get("device_code").asText(), "client_id", Logins.CLIENT));
        assertThat(Http.body(token).get("error").asText()).isEqualTo("access_denied");
    }

    @Test
    void refreshRotatesAndReusingAnOldRefreshTokenRevokesTheFamily() {
        Http http = new Http(base);
        JsonNode first = Logins.login(http, Logins.unique("grace"), null);
        String original = first.get("refresh_token").asText();

        JsonNode second = refresh(http, original);
        String rotated = second.get("refresh_token").asText();
        assertThat(rotated).isNotEqualTo(original);
        JsonNode third = refresh(http, rotated);
        assertThat(http.get("v1/license/status", third.get("access_token").asText()).statusCode()).isEqualTo(200);

        HttpResponse<String> reuse = http.form("oauth/token", Http.fields("grant_type", "refresh_token", "refresh_token", original, "client_id", Logins.CLIENT));
        assertThat(reuse.statusCode()).isEqualTo(400);
        assertThat(Http.body(reuse).get("error").asText()).isEqualTo("invalid_grant");

        HttpResponse<String> latestAfterReuse = http.form("oauth/token", Http.fields("grant_type", "refresh_token",
                "refresh_token", third.get("refresh_token").asText(), "client_id", Logins.CLIENT));
        assertThat(Http.body(latestAfterReuse).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(http.get("v1/license/status", third.get("access_token").asText()).statusCode()).isEqualTo(401);
    }

    @Test
    void aClientThatLostARefreshAnswerMayRetryOnce() {
        Http http = new Http(base);
        String original = Logins.login(http, Logins.unique("lost"), null).get("refresh_token").asText();
        refresh(http, original);
        JsonNode retried = refresh(http, original);
        assertThat(http.get("v1/license/status", retried.get("access_token").asText()).statusCode()).isEqualTo(200);
    }

    private static JsonNode refresh(Http http, String refreshToken) {
        HttpResponse<String> answer = http.form("oauth/token", Http.fields("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", Logins.CLIENT));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Http.body(answer);
    }

    @Test
    void revokeEndsTheRefreshAndAccessTokens() {
        Http http = new Http(base);
        JsonNode tokens = Logins.login(http, Logins.unique("linus"), null);
        HttpResponse<String> revoke = http.form("oauth/revoke", Http.fields("token", tokens.get("refresh_token").asText(),
                "token_type_hint", "refresh_token", "client_id", Logins.CLIENT));
        assertThat(revoke.statusCode()).isEqualTo(200);

        HttpResponse<String> refresh = http.form("oauth/token", Http.fields("grant_type", "refresh_token",
                "refresh_token", tokens.get("refresh_token").asText(), "client_id", Logins.CLIENT));
        assertThat(Http.body(refresh).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(http.get("v1/license", tokens.get("access_token").asText()).statusCode()).isEqualTo(401);
        assertThat(http.form("oauth/revoke", Http.fields("token", "never-issued", "client_id", Logins.CLIENT)).statusCode()).isEqualTo(200);
        HttpResponse<String> anonymous = http.form("oauth/revoke", Http.fields("token", "never-issued"));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(Http.body(anonymous).get("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    void malformedOAuthRequestsGetOAuthErrors() {
        Http http = new Http(base);
        HttpResponse<String> noClient = http.form("oauth/device_authorization", Map.of());
        assertThat(noClient.statusCode()).isEqualTo(401);
        assertThat(Http.body(noClient).get("error").asText()).isEqualTo("invalid_client");

        HttpResponse<String> badGrant = http.form("oauth/token", Http.fields("grant_type", "password", "client_id", Logins.CLIENT));
        assertThat(badGrant.statusCode()).isEqualTo(400);
        assertThat(Http.body(badGrant).get("error").asText()).isEqualTo("unsupported_grant_type");

        HttpResponse<String> unknownCode = http.form("oauth/token", Http.fields("grant_type", DEVICE_GRANT, "device_code", "nope", "client_id", Logins.CLIENT));
        assertThat(Http.body(unknownCode).get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void wrongCodesAreCountedAndThenRefused() {
        Http http = new Http(base);
        Person guesser = new Person(http, "guesser@example.com", "198.51.100." + (System.nanoTime() % 250));
        HttpResponse<String> wrong = guesser.approve("BBBB-BBBB");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("not valid or has expired");
        for (int i = 0; i < 12; i++) {
            wrong = guesser.approve("BBBB-BBBB");
        }
        assertThat(wrong.statusCode()).isEqualTo(429);
        assertThat(wrong.body()).contains("Too many wrong codes");
    }

    @Test
    void formWithoutTheCsrfCookieIsRefused() {
        Http http = new Http(base);
        JsonNode device = Http.body(http.form("oauth/device_authorization", Http.fields("client_id", Logins.CLIENT)));
        HttpResponse<String> forged = http.form("device", Http.fields("csrf", "forged", "user_code", device.get("user_code").asText(),
                "login", "victim@example.com", "decision", "approve"));
        assertThat(forged.statusCode()).isEqualTo(403);
        HttpResponse<String> token = http.form("oauth/token", Http.fields("grant_type", DEVICE_GRANT,
                "device_code", device.get("device_code").asText(), "client_id", Logins.CLIENT));
        assertThat(Http.body(token).get("error").asText()).isEqualTo("authorization_pending");
    }

    @Test
    void verificationPageEscapesWhatWasTyped() {
        Http http = new Http(base);
        HttpResponse<String> page = http.get("device?user_code=%3Cscript%3Ealert(1)%3C/script%3E", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("<script>").contains("&lt;script&gt;");
    }
}
