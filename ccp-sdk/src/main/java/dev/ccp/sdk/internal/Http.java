package dev.ccp.sdk.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JavaType;
import dev.ccp.sdk.CcpException;
import dev.ccp.sdk.CcpException.Kind;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.Problem;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Sends requests to one server and turns every way they can fail into a {@link CcpException}:
 * transport failures are {@link Kind#SERVER_UNREACHABLE}; answers that say the server is not serving
 * at the moment are {@link Kind#SERVER_UNAVAILABLE}; other error answers are mapped by status, with
 * the RFC 9457 problem kept when the server sent one.
 */
final class Http {

    private final HttpClient client;
    private final String base;
    private final Duration timeout;

    Http(HttpClient client, URI server, Duration timeout) {
        this.client = client;
        String text = server.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.timeout = timeout;
    }

    String server() {
        return base;
    }

    Duration timeout() {
        return timeout;
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("User-Agent", "ccp-sdk");
    }

    HttpResponse<String> postForm(String path, Map<String, String> form) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((name, value) -> {
            if (value != null) {
                body.add(encode(name) + "=" + encode(value));
            }
        });
        return send(request(path)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new CcpException(Kind.SERVER_UNREACHABLE, base + " did not answer within " + timeout.toSeconds() + " s", null, e);
        } catch (ConnectException e) {
            throw new CcpException(Kind.SERVER_UNREACHABLE, "cannot connect to " + base, null, e);
        } catch (IOException e) {
            throw new CcpException(Kind.SERVER_UNREACHABLE, "cannot reach " + base + ": " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CcpException(Kind.IO, "interrupted while talking to " + base, null, e);
        }
    }

    /** The body as {@code type} when the status is {@code expected}, else the failure it stands for. */
    <T> T read(HttpResponse<String> response, int expected, Class<T> type) {
        return read(response, expected, Json.lenient().constructType(type));
    }

    <T> T read(HttpResponse<String> response, int expected, JavaType type) {
        if (response.statusCode() != expected) {
            throw failure(response);
        }
        try {
            return Json.lenient().readValue(response.body(), type);
        } catch (JacksonException e) {
            throw new CcpException(Kind.SERVER_ERROR, "the server's answer to " + path(response) + " does not parse", null, e);
        }
    }

    void expect(HttpResponse<String> response, int expected) {
        if (response.statusCode() != expected) {
            throw failure(response);
        }
    }

    /** The failure an error answer stands for. */
    CcpException failure(HttpResponse<String> response) {
        int status = response.statusCode();
        Problem problem = problem(response);
        if (notServing(response)) {
            String message = problem != null && problem.detail() != null ? problem.detail()
                    : base + " is not serving at the moment (it answered " + status + " to " + path(response) + ")";
            return new CcpException(Kind.SERVER_UNAVAILABLE, message, problem, null);
        }
        String message = problem != null && problem.detail() != null ? problem.detail()
                : problem != null && problem.title() != null ? problem.title()
                : "the server answered " + status + " to " + path(response);
        return new CcpException(kind(status), message, problem, null);
    }

    /**
     * Whether an error answer means "try again later" rather than "no": a 502, 503 or 504, or a 404
     * or 500 that did not come from a CCP application (no JSON body). While an application server
     * starts, its listener answers for some seconds before the application is deployed, with its own
     * 404, 503 and 500 pages; a CCP server's own refusals are always JSON.
     */
    static boolean notServing(HttpResponse<String> response) {
        return notServing(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""));
    }

    static boolean notServing(int status, String contentType) {
        return switch (status) {
            case 502, 503, 504 -> true;
            case 404, 500 -> !contentType.contains("json");
            default -> false;
        };
    }

    static Kind kind(int status) {
        return switch (status) {
            case 400, 422 -> Kind.BAD_REQUEST;
            case 401 -> Kind.UNAUTHORIZED;
            case 402 -> Kind.PAYMENT_REQUIRED;
            case 403 -> Kind.FORBIDDEN;
            case 404, 410 -> Kind.NOT_FOUND;
            case 409 -> Kind.CONFLICT;
            case 429 -> Kind.RATE_LIMITED;
            default -> Kind.SERVER_ERROR;
        };
    }

    private static Problem problem(HttpResponse<String> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.contains("json") || response.body() == null || response.body().isBlank()) {
            return null;
        }
        try {
            return Json.lenient().readValue(response.body(), Problem.class);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String path(HttpResponse<String> response) {
        return response.request().method() + " " + response.uri().getPath();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A path segment: form encoding would turn a space into {@code +}, which a path keeps literally. */
    static String segment(String value) {
        return encode(value).replace("+", "%20");
    }
}
