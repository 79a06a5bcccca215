package dev.ccp.server.billing.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.spi.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A billing provider's HTTP API: its base URL (configurable, so tests can point it at a local fake
 * that speaks the same protocol), its secret, and plain JSON answers. A provider that fails or
 * cannot be reached is a 502 for the caller, with what the provider said.
 */
public final class ProviderApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1).build();

    private final String name;
    private final String baseUrl;
    private final String secret;

    /**
     * @param baseUrl e.g. {@code https://api.polar.sh}; a trailing slash is dropped
     * @param secret  the API token or key; null when the operator configured none
     */
    public ProviderApi(String name, String baseUrl, String secret) {
        this.name = name;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.secret = secret;
    }

    public boolean configured() {
        return secret != null;
    }

    public JsonNode get(String path) {
        return send(request(path).GET());
    }

    /** @param contentType the body's media type: JSON for Polar, form encoding for Stripe */
    public JsonNode post(String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpRequest.Builder request(String path) {
        if (secret == null) {
            throw new ProblemException(503, "billing-not-configured", "Billing not configured",
                    "this server has no API token for " + name + "; the operator sets it in the server's configuration");
        }
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + secret).header("Accept", "application/json");
    }

    private JsonNode send(HttpRequest.Builder request) {
        HttpResponse<String> answer;
        try {
            answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unavailable("cannot reach " + name + " (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while waiting for " + name);
        }
        if (answer.statusCode() / 100 != 2) {
            String said = answer.body().length() > 300 ? answer.body().substring(0, 300) : answer.body();
            throw unavailable(name + " answered " + answer.statusCode() + ": " + said);
        }
        try {
            return Json.lenient().readTree(answer.body());
        } catch (IOException e) {
            throw unavailable(name + " answered something that is not JSON");
        }
    }

    private static ProblemException unavailable(String detail) {
        return new ProblemException(502, "billing-provider", "Billing provider failed", detail + "; try again in a minute");
    }
}
