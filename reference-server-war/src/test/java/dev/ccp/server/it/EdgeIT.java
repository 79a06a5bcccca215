package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.spi.wire.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a client that makes mistakes, or an attacker, meets at the edge of the server: every refusal
 * is a clear 4xx in the API's shape (problem+json, or the OAuth error under /oauth), never a 500, an
 * empty body, the container's HTML page or a Java type name.
 */
class EdgeIT extends ServerIT {

    private static final String FORM = "application/x-www-form-urlencoded";

    private static HttpResponse<String> post(Http http, String path, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(http.uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request);
    }

    static void assertProblem(HttpResponse<String> answer, int status, String slug) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).as(answer.body()).startsWith("application/problem+json");
        assertThat(Http.body(answer).get("type").asText()).endsWith("/" + slug);
        assertThat(answer.body()).doesNotContain("java.", "dev.ccp.", "Exception");
    }

    static void assertOAuthError(HttpResponse<String> answer, String error) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(Http.body(answer).get("error").asText()).isEqualTo(error);
    }

    @Test
    void aPagePostWithoutABodyGetsThePageNotACrash() {
        Http http = http();
        for (String path : new String[] {"login", "device", "invite/no-such-token"}) {
            HttpResponse<String> answer = post(http, path, null, "", "X-Forwarded-For", "192.0.2.77");
            assertThat(answer.statusCode()).as(path + " → " + answer.body()).isBetween(400, 499);
            assertThat(answer.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        }
    }

    @Test
    void nulCharactersAreRefusedAtTheEdgeInFormsQueriesAndJson() {
        Http http = http();
        assertOAuthError(post(http, "oauth/device_authorization", FORM, "client_id=ccp%00x&scope=a"), "invalid_request");
        assertOAuthError(post(http, "oauth/device_authorization", FORM, "client_id=ccp&scope=a%00b"), "invalid_request");
        assertProblem(post(http, "login", FORM, "login=a%00b%40example.com&csrf=x"), 400, "nul-character");
        assertProblem(http.get("device?user_code=ABCD%00", null), 400, "nul-character");
        String owner = Logins.accessToken(http, Logins.unique("nul"), null);
        String org = Http.body(http.get("v1/me", owner)).get("org").asText();
        assertProblem(http.json("POST", "v1/orgs/" + org + "/members", owner, "{\"login\":\"eve\\u0000@example.com\"}"), 400, "nul-character");
        assertProblem(http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":\"pro\",\"reason\":\"a\\u0000\"}"),
                400, "nul-character");
        HttpResponse<String> text = http.json("POST", "v1/orgs/" + org + "/members", owner, "{\"login\":\"eve\\\\u0000@example.com\"}");
        assertThat(Http.body(text).get("type").asText()).as("an escaped backslash before u0000 is text, not a NUL")
                .doesNotEndWith("/nul-character");
    }

    @Test
    void theOAuthEndpointsAnswerAMissingOrStrangeContentTypeAsInvalidRequest() {
        Http http = http();
        for (String path : List.of("oauth/token", "oauth/device_authorization", "oauth/revoke")) {
            assertOAuthError(post(http, path, null, "client_id=ccp"), "invalid_request");
            assertOAuthError(post(http, path, "application/json", "{\"client_id\":\"ccp\"}"), "invalid_request");
            assertOAuthError(post(http, path, FORM + "; charset=no-such-charset", "client_id=ccp"), "invalid_request");
        }
    }

    @Test
    void whatTheContainerRefusesIsProblemJsonToo() {
        Http http = http();
        assertProblem(http.send(HttpRequest.newBuilder(http.uri("v1/me")).method("TRACE", HttpRequest.BodyPublishers.noBody())),
                405, "method-not-allowed");
        assertProblem(http.get("WEB-INF/web.xml", null), 404, "not-found");
        assertProblem(http.get("META-INF/MANIFEST.MF", null), 404, "not-found");
        assertProblem(http.send(HttpRequest.newBuilder(http.uri("v1/me")).header("Accept", ";;;/")), 400, "bad-request");
        assertProblem(post(http, "v1/ingest/rollups", ";;;", "{}"), 400, "bad-request");
        assertProblem(http.get("v1/me?pad=" + "a".repeat(5000), null), 414, "uri-too-long");
        // Over HTTP/1.1: the JDK client upgrades to HTTP/2, whose header limits Payara applies itself.
        RawHttp.Answer longer = RawHttp.send(http, "GET " + http.uri("v1/me").getRawPath() + "?pad=" + "a".repeat(20_000)
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(longer.status()).isEqualTo(414);
        assertThat(longer.head()).containsIgnoringCase("content-type: application/problem+json");
        assertProblem(http.get("application.wadl", null), 404, "not-found");
        HttpResponse<String> options = http.send(HttpRequest.newBuilder(http.uri("v1/me")).method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(options.body()).as("OPTIONS lists this address's methods, not every route").doesNotContain("operator", "wadl");
    }

    @Test
    void wrongTypesAndRepeatedFieldsAreRefusedInTheApisOwnWords() {
        Http http = http();
        String owner = Logins.accessToken(http, Logins.unique("types"), null);
        String org = Http.body(http.get("v1/me", owner)).get("org").asText();
        for (String body : List.of("{\"k_safety\":\"7\"}", "{\"k_safety\":7.5}", "{\"k_safety\":7,\"k_safety\":9}", "{\"k_safety\":7} {}")) {
            assertProblem(http.json("PATCH", "v1/orgs/" + org, owner, body), 400, "bad-json");
        }
        HttpResponse<String> list = http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":[\"pro\"]}");
        assertProblem(list, 400, "bad-json");
        assertThat(Http.body(list).get("detail").asText()).contains("plan").contains("expected a string");
        HttpResponse<String> bom = post(http, "v1/orgs/" + org + "/members", "application/json", "\uFEFF{\"login\":\"bom@example.com\"}",
                "Authorization", "Bearer " + owner);
        assertProblem(bom, 400, "bad-json");
    }

    @Test
    void aRepeatedAuthorizationHeaderIsRefusedRatherThanTheFirstWinning() {
        Http http = http();
        String token = Logins.accessToken(http, Logins.unique("twice"), null);
        assertProblem(http.send(HttpRequest.newBuilder(http.uri("v1/me")).header("Authorization", "Bearer " + token)
                .header("Authorization", "Bearer forged")), 400, "repeated-header");
    }

    @Test
    void aForeignHostGetsNoLinksAndLoopbackNamesStillWork() {
        Http http = http();
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(http.uri("oauth/device_authorization"))
                .header("Content-Type", FORM).header("X-Forwarded-Host", "evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("client_id=ccp")));
        assertThat(forged.body()).doesNotContain("evil.example");
        // The JDK client refuses to set Host itself; a raw request shows what a forged one gets.
        String path = http.uri("oauth/device_authorization").getRawPath();
        RawHttp.Answer evil = RawHttp.send(http, "POST " + path + " HTTP/1.1\r\nHost: evil.example\r\n"
                + "Content-Type: " + FORM + "\r\nContent-Length: 13\r\nConnection: close\r\n\r\nclient_id=ccp");
        assertThat(evil.status()).isEqualTo(421);
        assertThat(evil.body()).doesNotContain("http://evil.example");
        RawHttp.Answer local = RawHttp.send(http, "POST " + path + " HTTP/1.1\r\nHost: localhost:4321\r\n"
                + "Content-Type: " + FORM + "\r\nContent-Length: 13\r\nConnection: close\r\n\r\nclient_id=ccp");
        assertThat(local.status()).isEqualTo(200);
        assertThat(local.body()).contains("\"verification_uri\":\"http://localhost:4321/").contains("/device\"");
    }

    @Test
    void cookiesAreSecureWhenTheTrustedProxySaysHttps() {
        Http http = http();
        String plain = http.get("login", null).headers().firstValue("Set-Cookie").orElseThrow();
        String behindTls = http.send(HttpRequest.newBuilder(http.uri("login")).header("X-Forwarded-Proto", "https"))
                .headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(plain).doesNotContainIgnoringCase("secure");
        assertThat(behindTls).containsIgnoringCase("secure");
    }

    @Test
    void anEmptyCsrfTokenInCookieAndFormProvesNothing() {
        Http http = http();
        for (String page : List.of("device", "login")) {
            HttpResponse<String> answer = post(http, page, FORM, "csrf=&user_code=BCDF-GHJK&login=ada%40example.com&decision=approve",
                    "Cookie", "ccp_csrf=");
            assertThat(answer.statusCode()).as(page).isEqualTo(403);
        }
    }

    @Test
    void everyAnswerIsNosniffAndAuthenticatedAnswersAreNotStored() {
        Http http = http();
        String token = Logins.accessToken(http, Logins.unique("headers"), null);
        for (HttpResponse<String> answer : List.of(http.get("v1/me", token), http.get("v1/license/status", token),
                http.get("v1/policy/prod", token), http.get("v1/me", "not-a-token"), http.get("no/such/path", null),
                http.get("login", null), http.get("openapi", null))) {
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).as(answer.uri().toString()).contains("nosniff");
        }
        for (HttpResponse<String> answer : List.of(http.get("v1/me", token), http.get("v1/license/status", token),
                http.get("v1/policy/prod", token), http.get("v1/license", token))) {
            assertThat(answer.headers().firstValue("Cache-Control")).as(answer.uri().toString()).contains("no-store");
        }
    }

    @Test
    void aBadTokenIsTheFirstThingSaidEvenWithABadBody() {
        Http http = http();
        for (String body : List.of("", "{", "{\"plan\":5}")) {
            assertProblem(http.json("POST", "v1/billing/checkout", "not-a-token", body.isEmpty() ? null : body), 401, "unauthorized");
        }
        assertProblem(http.json("POST", "v1/operator/orgs/x/license", "wrong", "{"), 401, "unauthorized");
        assertThat(http.get("v1/me", "wrong").headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"ccp\"");
    }

    @Test
    void aStripeSignatureThatCannotBeReadIsUnauthorized() {
        Http http = http();
        for (String signature : List.of("t=abc,v1=00", "v1=00", "t=", "garbage")) {
            assertProblem(post(http, "v1/webhooks/stripe", "application/json", "{\"id\":\"evt_x\"}", "Stripe-Signature", signature),
                    401, "bad-webhook-signature");
        }
    }

    @Test
    void readinessRunsTheDatabaseCheckInTheMicroProfileFormat() {
        Http http = http();
        HttpResponse<String> ready = http.get("health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        JsonNode body = Http.body(ready);
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(body.get("checks")).anySatisfy(check -> {
            assertThat(check.get("name").asText()).isEqualTo("database");
            assertThat(check.get("status").asText()).isEqualTo("UP");
        });
    }

    @Test
    void theOpenApiDocumentIsYamlOrJsonOnRequest() throws Exception {
        Http http = http();
        HttpResponse<String> yaml = http.get("openapi", null);
        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(yaml.headers().firstValue("Content-Type").orElse("")).startsWith("application/yaml");
        assertThat(yaml.body()).startsWith("openapi: 3.1.0").doesNotContain("\nendpoints:");
        HttpResponse<String> json = http.send(HttpRequest.newBuilder(http.uri("openapi")).header("Accept", "application/json"));
        assertThat(json.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        Map<?, ?> document = Json.lenient().readValue(json.body(), Map.class);
        assertThat(document.get("openapi")).isEqualTo("3.1.0");
        assertThat(((Map<?, ?>) document.get("components")).get("securitySchemes")).isNotNull();
        assertProblem(http.get("openapi?format=xml", null), 400, "bad-request");
    }
}
