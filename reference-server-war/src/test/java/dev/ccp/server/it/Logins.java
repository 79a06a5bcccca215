package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;

/** Runs the whole device flow over HTTP, as the CLI does, for tests that need a signed-in caller. */
public final class Logins {

    public static final String CLIENT = "ccp-it";

    private Logins() {
    }

    /** Logs in and answers the token response. */
    public static JsonNode login(Http http, String login, String org) {
        Map<String, String> request = Http.fields("client_id", CLIENT);
        if (org != null) {
            request.put("org", org);
        }
        JsonNode device = Http.body(http.form("oauth/device_authorization", request));
        HttpResponse<String> approved = new Person(http, login).approve(device.get("user_code").asText());
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        HttpResponse<String> token = http.form("oauth/token", Http.fields(
                "grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "device_code", device.get("device_code").asText(), "client_id", CLIENT));
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return Http.body(token);
    }

    public static String accessToken(Http http, String login, String org) {
        return login(http, login, org).get("access_token").asText();
    }

    /** A login nobody else in the test run uses. */
    public static String unique(String name) {
        return name + "-" + Long.toHexString(System.nanoTime()) + "@example.com";
    }
}
