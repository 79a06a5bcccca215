package dev.ccp.server.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ccp.spi.wire.JsonValues;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * GitHub's OAuth web flow and the two user endpoints, as GitHub documents them, for one OAuth app:
 * {@code GET /login/oauth/authorize} (the person signed in at "GitHub" is whoever the test says;
 * {@code redirect_uri} must be the registered callback's host and path or below it, any port on
 * loopback; {@code code_challenge_method} only {@code S256}), {@code POST
 * /login/oauth/access_token} (JSON only when asked with {@code Accept}; errors are 200 with an
 * {@code error} body; a code works once, for 10 minutes, with its PKCE verifier and the same
 * {@code redirect_uri}), and {@code GET /api/user}, {@code GET /api/user/emails} (Bearer token, the
 * {@code user:email} scope for emails, 5000 requests an hour with the {@code x-ratelimit-*} headers).
 */
public final class FakeGitHub implements AutoCloseable {

    public static final String CLIENT_ID = "Iv1.it0github0client";
    public static final String CLIENT_SECRET = "it-github-client-secret";
    static final Duration CODE_TTL = Duration.ofMinutes(10);
    static final int HOURLY_LIMIT = 5000;

    /** A GitHub account: its handle, and its email addresses as {@code GET /user/emails} lists them. */
    public record Account(String login, long id, List<Map<String, Object>> emails) {
        public static Account of(String login, String email, boolean verified) {
            return new Account(login, Math.abs(login.hashCode()), List.of(Map.of("email", email, "primary", true, "verified", verified,
                    "visibility", "private")));
        }
    }

    private record Code(Account account, String redirectUri, String challenge, String scope, Instant expires) {
    }

    private record Token(Account account, String scope) {
    }

    /** Who is signed in at GitHub in the test's browser; null: nobody, and the authorize page asks them to sign in. */
    public volatile Account signedIn;
    /** When true, the person clicks "Cancel" on GitHub's authorize page. */
    public volatile boolean denies;
    public final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, Integer> used = new ConcurrentHashMap<>();
    private final URI callback;
    private final Clock clock;
    private final HttpServer server;

    /**
     * @param port 0 for any free port
     * @param callback the app's registered callback URL
     */
    public FakeGitHub(int port, String callback, Clock clock) throws IOException {
        this.callback = URI.create(callback);
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String web() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String api() {
        return web() + "/api";
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        requests.add(method + " " + path);
        try {
            if (method.equals("GET") && path.equals("/login/oauth/authorize")) {
                authorize(exchange, query(exchange.getRequestURI().getRawQuery()));
            } else if (method.equals("POST") && path.equals("/login/oauth/access_token")) {
                token(exchange, query(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            } else if (method.equals("GET") && (path.equals("/api/user") || path.equals("/api/user/emails"))) {
                user(exchange, path.endsWith("/emails"));
            } else {
                send(exchange, 404, "application/json", "{\"message\":\"Not Found\"}");
            }
        } finally {
            exchange.close();
        }
    }

    private void authorize(HttpExchange exchange, Map<String, String> q) throws IOException {
        if (!CLIENT_ID.equals(q.get("client_id"))) {
            send(exchange, 404, "text/html", "<p>Not Found</p>");
            return;
        }
        String redirect = q.getOrDefault("redirect_uri", callback.toString());
        if (!allowed(URI.create(redirect))) {
            send(exchange, 200, "text/html", "<p>The redirect_uri is not associated with this application.</p>");
            return;
        }
        String state = q.get("state");
        if (q.containsKey("code_challenge_method") && !"S256".equals(q.get("code_challenge_method"))) {
            redirect(exchange, redirect, "error=invalid_request&error_description=" + encode("code_challenge_method must be S256"), state);
            return;
        }
        Account account = signedIn;
        if (account == null) {
            send(exchange, 200, "text/html", "<h1>Sign in to GitHub</h1>");
            return;
        }
        if (denies) {
            redirect(exchange, redirect, "error=access_denied&error_description=" + encode("The user has denied your application access."), state);
            return;
        }
        String code = UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        codes.put(code, new Code(account, redirect, q.get("code_challenge"), q.getOrDefault("scope", ""), clock.instant().plus(CODE_TTL)));
        redirect(exchange, redirect, "code=" + code, state);
    }

    /** GitHub's rule: the registered callback's host and path (or a path below it); any port on loopback. */
    private boolean allowed(URI redirect) {
        boolean loopback = "127.0.0.1".equals(callback.getHost()) || "localhost".equals(callback.getHost());
        return callback.getScheme().equals(redirect.getScheme()) && callback.getHost().equalsIgnoreCase(redirect.getHost())
                && (loopback || callback.getPort() == redirect.getPort())
                && (redirect.getPath().equals(callback.getPath()) || redirect.getPath().startsWith(callback.getPath() + "/"));
    }

    private void token(HttpExchange exchange, Map<String, String> form) throws IOException {
        boolean json = String.valueOf(exchange.getRequestHeaders().getFirst("Accept")).contains("application/json");
        if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))) {
            error(exchange, json, "incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.");
            return;
        }
        Code code = form.get("code") == null ? null : codes.remove(form.get("code"));
        if (code == null || clock.instant().isAfter(code.expires())) {
            error(exchange, json, "bad_verification_code", "The code passed is incorrect or expired.");
            return;
        }
        if (form.containsKey("redirect_uri") && !form.get("redirect_uri").equals(code.redirectUri())) {
            error(exchange, json, "redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL for this application.");
            return;
        }
        if (code.challenge() != null && !code.challenge().equals(challenge(form.getOrDefault("code_verifier", "")))) {
            error(exchange, json, "bad_verification_code", "The code passed is incorrect or expired.");
            return;
        }
        String token = "gho_" + UUID.randomUUID().toString().replace("-", "");
        String scope = String.join(",", code.scope().isBlank() ? new String[0] : code.scope().split(" "));
        tokens.put(token, new Token(code.account(), scope));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token);
        body.put("scope", scope);
        body.put("token_type", "bearer");
        if (json) {
            send(exchange, 200, "application/json; charset=utf-8", new String(JsonValues.write(body, false), StandardCharsets.UTF_8));
        } else {
            send(exchange, 200, "application/x-www-form-urlencoded; charset=utf-8",
                    "access_token=" + token + "&scope=" + encode(scope) + "&token_type=bearer");
        }
    }

    private void user(HttpExchange exchange, boolean emails) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Token token = authorization != null && authorization.startsWith("Bearer ") ? tokens.get(authorization.substring(7)) : null;
        if (token == null) {
            send(exchange, 401, "application/json", "{\"message\":\"Bad credentials\",\"documentation_url\":\"https://docs.github.com/rest\"}");
            return;
        }
        int count = used.merge(token.account().login(), 1, Integer::sum);
        exchange.getResponseHeaders().set("x-ratelimit-limit", Integer.toString(HOURLY_LIMIT));
        exchange.getResponseHeaders().set("x-ratelimit-remaining", Integer.toString(Math.max(0, HOURLY_LIMIT - count)));
        exchange.getResponseHeaders().set("x-ratelimit-used", Integer.toString(count));
        exchange.getResponseHeaders().set("x-ratelimit-reset", Long.toString(clock.instant().plus(Duration.ofHours(1)).getEpochSecond()));
        exchange.getResponseHeaders().set("x-ratelimit-resource", "core");
        exchange.getResponseHeaders().set("X-OAuth-Scopes", token.scope().replace(",", ", "));
        if (count > HOURLY_LIMIT) {
            send(exchange, 403, "application/json", "{\"message\":\"API rate limit exceeded\"}");
            return;
        }
        Account a = token.account();
        if (!emails) {
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("login", a.login());
            user.put("id", a.id());
            user.put("type", "User");
            user.put("name", null);
            user.put("email", null);
            send(exchange, 200, "application/json; charset=utf-8", new String(JsonValues.write(user, false), StandardCharsets.UTF_8));
        } else if (!List.of(token.scope().split(",")).contains("user:email")) {
            send(exchange, 404, "application/json", "{\"message\":\"Not Found\"}");
        } else {
            send(exchange, 200, "application/json; charset=utf-8", new String(JsonValues.write(a.emails(), false), StandardCharsets.UTF_8));
        }
    }

    private static void error(HttpExchange exchange, boolean json, String error, String description) throws IOException {
        // GitHub answers a refused exchange with 200, not 400.
        if (json) {
            send(exchange, 200, "application/json; charset=utf-8", "{\"error\":\"" + error + "\",\"error_description\":\"" + description
                    + "\",\"error_uri\":\"https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors\"}");
        } else {
            send(exchange, 200, "application/x-www-form-urlencoded", "error=" + error + "&error_description=" + encode(description));
        }
    }

    private static void redirect(HttpExchange exchange, String to, String params, String state) throws IOException {
        exchange.getResponseHeaders().set("Location", to + (to.contains("?") ? "&" : "?") + params
                + (state == null ? "" : "&state=" + encode(state)));
        exchange.sendResponseHeaders(302, -1);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            out.putIfAbsent(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
