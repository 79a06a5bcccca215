package dev.ccp.server.slack.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccp.spi.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Slack's Web API as the app calls it: {@code oauth.v2.access} to install, {@code chat.postMessage}
 * and {@code chat.update} with a team's bot token, and a command's or a button's
 * {@code response_url}. The base URL is configurable ({@code CCP_SLACK_API_URL}), so tests point it
 * at a local fake that speaks the same protocol. Answers are values, not exceptions: Slack says
 * {@code "ok": false} with an error code, 429 with {@code Retry-After}, or cannot be reached, and
 * the caller decides what each means for the message at hand. Tokens go in headers only; nothing
 * here logs a request.
 */
public final class SlackApi {

    /** What the bot asks for at install: slash commands, and posting where it is or may be. */
    public static final String SCOPES = "commands,chat:write,chat:write.public";
    static final String SLACK_API = "https://slack.com/api";
    /** Where Slack's response URLs live; a response URL anywhere else is not followed. */
    static final String SLACK_HOOKS = "https://hooks.slack.com/";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * One answer of Slack's: its HTTP status (0 when Slack could not be reached), its JSON body (an
     * empty object when it sent none), and how long it asked to be left alone.
     */
    public record Answer(int status, JsonNode body, Duration retryAfter) {

        public boolean ok() {
            return status / 100 == 2 && (body.isEmpty() || body.path("ok").asBoolean(false));
        }

        public boolean rateLimited() {
            return status == 429;
        }

        /** Slack's error code ({@code not_in_channel}, {@code invalid_auth}…), or what went wrong on the way. */
        public String error() {
            if (body.hasNonNull("error")) {
                return body.get("error").asText();
            }
            return status == 0 ? "unreachable" : "http_" + status;
        }

        public String text(String field) {
            JsonNode value = body.get(field);
            return value == null || value.isNull() ? null : value.asText();
        }
    }

    private final String apiUrl;
    private final String clientId;
    private final String clientSecret;
    private final String hooks;

    /**
     * @param apiUrl Slack's Web API, {@code https://slack.com/api} unless a test points elsewhere;
     *               response URLs are followed only to Slack's hooks host, or to this URL's origin
     */
    public SlackApi(String apiUrl, String clientId, String clientSecret) {
        this.apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.hooks = this.apiUrl.equals(SLACK_API) ? SLACK_HOOKS : origin(this.apiUrl) + "/";
    }

    /** Whether the app's OAuth client is configured, so that the app can be installed. */
    public boolean installable() {
        return clientId != null && clientSecret != null;
    }

    /** Slack's page where a workspace admin approves the install; it comes back to {@code redirectUri}. */
    public URI authorize(String state, String redirectUri) {
        return URI.create(origin(apiUrl) + "/oauth/v2/authorize?client_id=" + encode(clientId) + "&scope=" + encode(SCOPES)
                + "&state=" + encode(state) + "&redirect_uri=" + encode(redirectUri));
    }

    /** Exchanges an install's code for the team's bot token; the client's secret goes as HTTP Basic. */
    public Answer oauthAccess(String code, String redirectUri) {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(apiUrl + "/oauth.v2.access"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("code=" + encode(code) + "&redirect_uri=" + encode(redirectUri))));
    }

    /** A Web API method with a JSON body, as the team's bot. */
    public Answer call(String botToken, String method, ObjectNode body) {
        return send(HttpRequest.newBuilder(URI.create(apiUrl + "/" + method))
                .header("Authorization", "Bearer " + botToken)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /** Posts to a response URL Slack gave with a request. */
    public Answer respond(String responseUrl, String json) {
        if (!respondsTo(responseUrl)) {
            return new Answer(0, Json.lenient().createObjectNode().put("error", "not_a_slack_response_url"), Duration.ZERO);
        }
        return send(HttpRequest.newBuilder(URI.create(responseUrl))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Whether a response URL a request carried is Slack's, and so safe to post to. */
    public boolean respondsTo(String url) {
        return url != null && url.startsWith(hooks) && url.length() <= 1000 && url.chars().noneMatch(c -> c <= ' ');
    }

    private static Answer send(HttpRequest.Builder request) {
        HttpResponse<String> answer;
        try {
            answer = HTTP.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Answer(0, Json.lenient().createObjectNode().put("error", "unreachable"), Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, Json.lenient().createObjectNode().put("error", "interrupted"), Duration.ZERO);
        }
        JsonNode body;
        try {
            body = answer.body().isBlank() ? Json.lenient().createObjectNode() : Json.lenient().readTree(answer.body());
        } catch (IOException e) {
            // A response URL answers plain "ok"; anything else that is not JSON is Slack's error page.
            body = answer.statusCode() / 100 == 2 ? Json.lenient().createObjectNode()
                    : Json.lenient().createObjectNode().put("error", clip(answer.body().strip().toLowerCase(Locale.ROOT)));
        }
        if (!body.isObject()) {
            body = Json.lenient().createObjectNode();
        }
        return new Answer(answer.statusCode(), body, retryAfter(answer.headers().firstValue("Retry-After")));
    }

    private static Duration retryAfter(Optional<String> header) {
        try {
            return header.map(String::strip).map(Long::parseLong).map(s -> Duration.ofSeconds(Math.max(0, Math.min(s, 3600))))
                    .orElse(Duration.ZERO);
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(30);
        }
    }

    private static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    private static String clip(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80);
    }
}
