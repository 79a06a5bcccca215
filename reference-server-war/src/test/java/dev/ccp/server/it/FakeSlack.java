package dev.ccp.server.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Slack as the server meets it, on the port the IT server is configured with ({@code CCP_SLACK_API_URL}):
 * the install approval page ({@code /oauth/v2/authorize}, answered at once as if the person clicked Allow),
 * {@code oauth.v2.access}, {@code chat.postMessage}, {@code chat.update} and the {@code response_url}s of
 * slash commands and button clicks. It answers in Slack's documented shapes and error codes and holds the
 * server to Slack's published limits: Block Kit sizes, single-use OAuth codes, {@code Retry-After} after a
 * 429, about one {@code chat.postMessage} a second per channel, and five uses in thirty minutes of a
 * {@code response_url}. Whatever Slack would hold against the app is written to {@link #violations()},
 * which tests assert empty. Every request is recorded with its headers and the status it was answered.
 */
final class FakeSlack implements AutoCloseable {

    static final int PORT = Integer.getInteger("ccp.it.slack.port", 27213);
    static final String CLIENT_ID = "4242424242.4242424242424";
    static final String CLIENT_SECRET = "it-slack-client-secret";
    static final String SIGNING_SECRET = "it-slack-signing-secret-8f742231b10e8888";
    static final String APP_ID = "A0CCPIT0001";
    static final String BOT_USER_ID = "U0CCPBOT001";
    static final String BOT_ID = "B0CCPBOT001";
    static final String INSTALLER_USER_ID = "U0CCPINST01";
    static final String DEFAULT_TEAM_ID = "T0CCPIT01";
    static final String DEFAULT_TEAM_NAME = "CCP IT";

    /** What an OAuth code is good for; an exchange after that is {@code invalid_code}. */
    static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
    /** Slack: a {@code response_url} can be used up to five times within thirty minutes. */
    static final int RESPONSE_URL_USES = 5;
    static final Duration RESPONSE_URL_LIFETIME = Duration.ofMinutes(30);
    /** chat.postMessage: about one message a second per channel, short bursts allowed. */
    static final int POST_BURST = 3;
    /** chat.update is Tier 3, "50+ per minute": more than this in any minute is counted against the app. */
    static final int UPDATES_PER_MINUTE = 50;
    static final Duration HOLD_LIMIT = Duration.ofSeconds(30);

    static final int MAX_BLOCKS = 50;
    static final int MAX_TEXT = 40_000;
    static final int MAX_SECTION_TEXT = 3000;
    static final int MAX_SECTION_FIELDS = 10;
    static final int MAX_SECTION_FIELD_TEXT = 2000;
    static final int MAX_HEADER_TEXT = 150;
    static final int MAX_MARKDOWN_BLOCK_TEXT = 12_000;
    static final int MAX_ACTIONS_ELEMENTS = 25;
    static final int MAX_CONTEXT_ELEMENTS = 10;
    static final int MAX_BUTTON_TEXT = 75;
    static final int MAX_BUTTON_VALUE = 2000;
    static final int MAX_BUTTON_URL = 3000;
    static final int MAX_ACTION_ID = 255;
    static final int MAX_BLOCK_ID = 255;

    private static final Set<String> BLOCK_TYPES = Set.of("section", "header", "actions", "context", "divider",
            "image", "rich_text", "markdown", "input", "file", "video");
    private static final Set<String> API_METHODS = Set.of("oauth.v2.access", "chat.postMessage", "chat.update");
    private static final String RESPONSE_URL_KEY = "response_url";

    /** One request the server made, and the status it was answered. */
    record Call(String method, String path, String authorization, String contentType, String body, int status,
            Instant at) {
    }

    /** A message as it stands in its channel now: the last {@code chat.update} wins. */
    record Message(String channel, String ts, String teamId, String threadTs, String text, JsonNode blocks,
            int updates) {
    }

    private record Code(String code, String redirectUri, String teamId, String teamName, String scope,
            Instant issued) {
    }

    private record Install(String teamId, String teamName, String scope) {
    }

    private static final class ResponseUrl {
        final Instant minted;
        Instant expires;
        int uses;
        final List<JsonNode> posts = new CopyOnWriteArrayList<>();

        ResponseUrl(Instant minted, Instant expires) {
            this.minted = minted;
            this.expires = expires;
        }
    }

    /** One answer: an HTTP status, optional headers and a body. */
    private record Answer(int status, Map<String, String> headers, String contentType, String body) {
        static Answer json(int status, JsonNode body) {
            return new Answer(status, Map.of(), "application/json; charset=utf-8", body.toString());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final ExecutorService executor;
    private final Object lock = new Object();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();

    // All below guarded by lock.
    private String teamId = DEFAULT_TEAM_ID;
    private String teamName = DEFAULT_TEAM_NAME;
    private boolean denyNextInstall;
    private final Map<String, Code> codes = new HashMap<>();
    private final Map<String, Install> tokens = new HashMap<>();
    private final Map<String, String> latestToken = new HashMap<>();
    private final Set<String> notInChannel = new HashSet<>();
    private final Set<String> channelNotFound = new HashSet<>();
    private final Map<String, Deque<Integer>> forcedRateLimits = new HashMap<>();
    private final Map<String, Instant> retryAfter = new HashMap<>();
    private final Map<String, double[]> postBuckets = new HashMap<>();
    private final Map<String, Deque<Instant>> updateTimes = new HashMap<>();
    private final Map<String, Message> messages = new LinkedHashMap<>();
    private final Map<String, ResponseUrl> responseUrls = new HashMap<>();
    private Duration responseUrlLifetime = RESPONSE_URL_LIFETIME;
    private long lastTsMicros;
    private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();

    FakeSlack() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 0);
        executor = Executors.newFixedThreadPool(16, runnable -> {
            Thread thread = new Thread(runnable, "fake-slack");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String apiUrl() {
        return "http://127.0.0.1:" + PORT + "/api";
    }

    String authorizeUrl() {
        return "http://127.0.0.1:" + PORT + "/oauth/v2/authorize";
    }

    // ---------------------------------------------------------------- what tests set up

    /** The workspace the next installs are approved for. */
    void installTeam(String teamId, String teamName) {
        synchronized (lock) {
            this.teamId = teamId;
            this.teamName = teamName;
        }
    }

    /** The next install is declined: Slack redirects back with {@code error=access_denied}. */
    void denyNextInstall() {
        synchronized (lock) {
            denyNextInstall = true;
        }
    }

    /** Codes issued so far are past their ten minutes. */
    void expireCodes() {
        synchronized (lock) {
            codes.replaceAll((code, c) -> new Code(c.code(), c.redirectUri(), c.teamId(), c.teamName(), c.scope(),
                    c.issued().minus(CODE_LIFETIME).minusSeconds(1)));
        }
    }

    /** Posts to this channel answer {@code not_in_channel}: the app was not invited or was removed. */
    void notInChannel(String channel) {
        synchronized (lock) {
            notInChannel.add(channel);
        }
    }

    /** Posts and updates in this channel answer {@code channel_not_found}: archived away, deleted, never was. */
    void channelNotFound(String channel) {
        synchronized (lock) {
            channelNotFound.add(channel);
        }
    }

    /**
     * The next call of {@code apiMethod} ("chat.postMessage", "chat.update", "oauth.v2.access") is answered 429
     * with {@code Retry-After: retryAfterSeconds}; another call of that method with the same token before then
     * is a violation (and is answered 429 again).
     */
    void rateLimitNext(String apiMethod, int retryAfterSeconds) {
        if (!API_METHODS.contains(apiMethod)) {
            throw new IllegalArgumentException("not a method this fake answers: " + apiMethod);
        }
        synchronized (lock) {
            forcedRateLimits.computeIfAbsent(apiMethod, m -> new ArrayDeque<>()).add(retryAfterSeconds);
        }
    }

    /**
     * Calls of {@code apiMethod} (or of any response URL, with {@code "response_url"}) wait until
     * {@link #release(String)}, at most {@link #HOLD_LIMIT}; other calls go on meanwhile.
     */
    void hold(String apiMethod) {
        holds.computeIfAbsent(apiMethod, m -> new CountDownLatch(1));
    }

    void release(String apiMethod) {
        CountDownLatch latch = holds.remove(apiMethod);
        if (latch != null) {
            latch.countDown();
        }
    }

    /** A fresh {@code response_url}, as Slack puts in a slash command or a block_actions payload. */
    String responseUrl() {
        String url = "http://127.0.0.1:" + PORT + "/response/" + random(12);
        synchronized (lock) {
            Instant now = Instant.now();
            responseUrls.put(URI.create(url).getPath(), new ResponseUrl(now, now.plus(responseUrlLifetime)));
        }
        return url;
    }

    /** That response URL is past its thirty minutes. */
    void expireResponseUrl(String url) {
        synchronized (lock) {
            ResponseUrl state = responseUrls.get(URI.create(url).getPath());
            if (state == null) {
                throw new IllegalArgumentException("not minted here: " + url);
            }
            state.expires = Instant.now().minusMillis(1);
        }
    }

    /** How long response URLs minted from now on stay usable (Slack: thirty minutes). */
    void responseUrlLifetime(Duration lifetime) {
        synchronized (lock) {
            responseUrlLifetime = lifetime;
        }
    }

    /** Forgets calls, messages, response URLs, violations and every knob; installs and their tokens stay. */
    void reset() {
        synchronized (lock) {
            calls.clear();
            violations.clear();
            teamId = DEFAULT_TEAM_ID;
            teamName = DEFAULT_TEAM_NAME;
            denyNextInstall = false;
            codes.clear();
            notInChannel.clear();
            channelNotFound.clear();
            forcedRateLimits.clear();
            retryAfter.clear();
            postBuckets.clear();
            updateTimes.clear();
            messages.clear();
            responseUrls.clear();
            responseUrlLifetime = RESPONSE_URL_LIFETIME;
        }
        holds.keySet().forEach(this::release);
    }

    // ---------------------------------------------------------------- what tests look at

    List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Calls of one API method ("chat.update"), one path ("/oauth/v2/authorize") or one response URL. */
    List<Call> calls(String methodOrResponseUrl) {
        String path = methodOrResponseUrl.startsWith("http") ? URI.create(methodOrResponseUrl).getPath()
                : methodOrResponseUrl.startsWith("/") ? methodOrResponseUrl : "/api/" + methodOrResponseUrl;
        return calls.stream().filter(call -> call.path().equals(path)).toList();
    }

    /** What Slack would hold against the app, one line each; tests assert this is empty. */
    List<String> violations() {
        return List.copyOf(violations);
    }

    /** The message as it stands now, or null. */
    Message message(String channel, String ts) {
        synchronized (lock) {
            return messages.get(channel + " " + ts);
        }
    }

    /** The channel's messages in the order they were posted, each as it stands now. */
    List<Message> messages(String channel) {
        synchronized (lock) {
            return messages.values().stream().filter(m -> m.channel().equals(channel)).toList();
        }
    }

    /** The JSON bodies accepted at that response URL, in order. */
    List<JsonNode> responses(String url) {
        synchronized (lock) {
            ResponseUrl state = responseUrls.get(URI.create(url).getPath());
            return state == null ? List.of() : List.copyOf(state.posts);
        }
    }

    /** The bot token last issued for that workspace, or null. */
    String botToken(String teamId) {
        synchronized (lock) {
            return latestToken.get(teamId);
        }
    }

    @Override
    public void close() {
        holds.keySet().forEach(this::release);
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- the HTTP side

    private void handle(HttpExchange exchange) throws IOException {
        Instant at = Instant.now();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String httpMethod = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        Answer answer;
        try {
            String held = path.startsWith("/api/") ? path.substring("/api/".length())
                    : path.startsWith("/response/") ? RESPONSE_URL_KEY : null;
            CountDownLatch latch = held == null ? null : holds.get(held);
            if (latch != null && !latch.await(HOLD_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                violation(held + " was held longer than " + HOLD_LIMIT.toSeconds() + " s: the test never released it");
            }
            if (path.equals("/oauth/v2/authorize")) {
                answer = authorize(httpMethod, exchange.getRequestURI().getRawQuery());
            } else if (path.startsWith("/api/")) {
                answer = api(httpMethod, path.substring("/api/".length()), auth, contentType, body, at);
            } else if (path.startsWith("/response/")) {
                answer = respond(httpMethod, path, contentType, body, at);
            } else {
                answer = new Answer(404, Map.of(), "text/plain", "no such page");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer = new Answer(503, Map.of(), "text/plain", "fake Slack is closing");
        } catch (RuntimeException e) {
            violation("fake Slack failed on " + httpMethod + " " + path + ": " + e);
            answer = new Answer(500, Map.of(), "text/plain", String.valueOf(e));
        }
        calls.add(new Call(httpMethod, path, auth, contentType, body, answer.status(), at));
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        if (answer.contentType() != null) {
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        }
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    // ---------------------------------------------------------------- OAuth

    private Answer authorize(String httpMethod, String rawQuery) {
        Map<String, String> query = form(rawQuery);
        String redirectUri = query.get("redirect_uri");
        if (!httpMethod.equals("GET")) {
            return page(405, "The install page is opened with GET.");
        }
        if (!CLIENT_ID.equals(query.get("client_id"))) {
            violation("oauth/v2/authorize: unknown client_id " + query.get("client_id"));
            return page(400, "invalid_client_id");
        }
        if (redirectUri == null || redirectUri.isBlank()) {
            violation("oauth/v2/authorize: no redirect_uri");
            return page(400, "bad_redirect_uri");
        }
        List<String> scopes = Arrays.stream(query.getOrDefault("scope", "").split(",")).map(String::trim).toList();
        if (!scopes.contains("commands") || !scopes.contains("chat:write")) {
            violation("oauth/v2/authorize: scope " + query.get("scope") + " lacks commands or chat:write");
            return page(400, "invalid_scope");
        }
        String state = query.get("state");
        String stateParam = state == null ? "" : "&state=" + encode(state);
        String separator = redirectUri.contains("?") ? "&" : "?";
        synchronized (lock) {
            if (denyNextInstall) {
                denyNextInstall = false;
                return redirect(redirectUri + separator + "error=access_denied" + stateParam);
            }
            String code = CLIENT_ID.substring(0, CLIENT_ID.indexOf('.')) + "." + System.currentTimeMillis() + "."
                    + random(32);
            codes.put(code, new Code(code, redirectUri, teamId, teamName, String.join(",", scopes), Instant.now()));
            return redirect(redirectUri + separator + "code=" + encode(code) + stateParam);
        }
    }

    private Answer oauthAccess(String authorization, String contentType, String body, Instant at) {
        Map<String, String> params = mediaType(contentType).equals("application/json") ? jsonParams(body) : form(body);
        String clientId = params.get("client_id");
        String clientSecret = params.get("client_secret");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return error("invalid_client_id");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return error("invalid_client_id");
            }
            clientId = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            clientSecret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
        }
        if (!CLIENT_ID.equals(clientId)) {
            return error("invalid_client_id");
        }
        if (!CLIENT_SECRET.equals(clientSecret)) {
            return error("bad_client_secret");
        }
        synchronized (lock) {
            Code code = params.get("code") == null ? null : codes.get(params.get("code"));
            if (code == null || at.isAfter(code.issued().plus(CODE_LIFETIME))) {
                return error("invalid_code");
            }
            if (!code.redirectUri().equals(params.get("redirect_uri"))) {
                return error("bad_redirect_uri");
            }
            codes.remove(code.code());
            String token = "xoxb-" + digits(12) + "-" + digits(13) + "-" + random(12);
            tokens.put(token, new Install(code.teamId(), code.teamName(), code.scope()));
            latestToken.put(code.teamId(), token);
            ObjectNode answer = JSON.createObjectNode();
            answer.put("ok", true);
            answer.put("access_token", token);
            answer.put("token_type", "bot");
            answer.put("scope", code.scope());
            answer.put("bot_user_id", BOT_USER_ID);
            answer.put("app_id", APP_ID);
            ObjectNode team = answer.putObject("team");
            team.put("name", code.teamName());
            team.put("id", code.teamId());
            answer.putNull("enterprise");
            answer.putObject("authed_user").put("id", INSTALLER_USER_ID);
            answer.put("is_enterprise_install", false);
            return Answer.json(200, answer);
        }
    }

    // ---------------------------------------------------------------- Web API

    private Answer api(String httpMethod, String apiMethod, String authorization, String contentType, String body,
            Instant at) {
        if (!API_METHODS.contains(apiMethod)) {
            violation("called " + apiMethod + ", which this fake does not answer");
            return Answer.json(404, errorNode("unknown_method"));
        }
        if (!httpMethod.equals("POST")) {
            violation(apiMethod + " called with " + httpMethod);
            return Answer.json(405, errorNode("invalid_post_type"));
        }
        if (apiMethod.equals("oauth.v2.access")) {
            Answer limited = rateLimit(apiMethod, "oauth", null, at);
            return limited != null ? limited : oauthAccess(authorization, contentType, body, at);
        }
        if (authorization == null || authorization.isBlank()) {
            return error("not_authed");
        }
        String token = authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : "";
        Install install;
        synchronized (lock) {
            install = tokens.get(token);
        }
        if (install == null) {
            return error("invalid_auth");
        }
        if (contentType == null || contentType.isBlank()) {
            return error("missing_post_type");
        }
        if (!mediaType(contentType).equals("application/json")) {
            violation(apiMethod + ": sent as " + contentType + "; the server is to send JSON");
            return error("invalid_post_type");
        }
        String charset = charset(contentType);
        if (charset != null && !charset.equalsIgnoreCase("utf-8")) {
            return error("invalid_charset");
        }
        JsonNode args;
        try {
            args = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            args = null;
        }
        if (args == null || !args.isObject()) {
            violation(apiMethod + ": body is not a JSON object: " + abbreviate(body));
            return error("invalid_arguments");
        }
        String channel = text(args, "channel");
        Answer limited = rateLimit(apiMethod, token, channel, at);
        if (limited != null) {
            return limited;
        }
        return apiMethod.equals("chat.postMessage") ? postMessage(install, args, channel)
                : update(install, args, channel);
    }

    /** Answers 429 when Slack would, and counts calls made against a Retry-After or over the documented rate. */
    private Answer rateLimit(String apiMethod, String token, String channel, Instant at) {
        String key = apiMethod + " " + token;
        // A 429 for posting too fast to one channel holds that channel only; any other 429 the whole method.
        String channelKey = channel == null ? key : key + " " + channel;
        synchronized (lock) {
            Instant until = retryAfter.get(key);
            Instant channelUntil = retryAfter.get(channelKey);
            if (until == null || channelUntil != null && channelUntil.isAfter(until)) {
                until = channelUntil;
            }
            if (until != null && at.isBefore(until)) {
                long wait = Math.max(1, (long) Math.ceil(Duration.between(at, until).toMillis() / 1000.0));
                violation(apiMethod + " called again " + Duration.between(at, until).toMillis()
                        + " ms before its Retry-After ran out");
                return rateLimited(wait);
            }
            Deque<Integer> forced = forcedRateLimits.get(apiMethod);
            if (forced != null && !forced.isEmpty()) {
                int seconds = forced.poll();
                retryAfter.put(key, at.plusSeconds(seconds));
                return rateLimited(seconds);
            }
            if (apiMethod.equals("chat.postMessage") && channel != null) {
                // A token bucket per workspace token and channel: POST_BURST at once, then one a second.
                double[] bucket = postBuckets.computeIfAbsent(token + " " + channel,
                        k -> new double[] {POST_BURST, at.toEpochMilli()});
                long now = at.toEpochMilli();
                if (now > bucket[1]) {
                    bucket[0] = Math.min(POST_BURST, bucket[0] + (now - bucket[1]) / 1000.0);
                    bucket[1] = now;
                }
                if (bucket[0] < 1) {
                    violation("chat.postMessage to " + channel + " faster than one a second beyond a burst of "
                            + POST_BURST + ": coalesce");
                    retryAfter.put(channelKey, at.plusSeconds(1));
                    return rateLimited(1);
                }
                bucket[0] -= 1;
            }
            if (apiMethod.equals("chat.update")) {
                Deque<Instant> times = updateTimes.computeIfAbsent(token, k -> new ArrayDeque<>());
                while (!times.isEmpty() && !times.peekFirst().isAfter(at.minusSeconds(60))) {
                    times.pollFirst();
                }
                if (times.size() >= UPDATES_PER_MINUTE) {
                    violation("chat.update called more than " + UPDATES_PER_MINUTE + " times in a minute (Tier 3)");
                    retryAfter.put(key, times.peekFirst().plusSeconds(60));
                    return rateLimited(Math.max(1, Duration.between(at, times.peekFirst().plusSeconds(60)).toSeconds()));
                }
                times.addLast(at);
            }
            return null;
        }
    }

    private static Answer rateLimited(long seconds) {
        return new Answer(429, Map.of("Retry-After", Long.toString(seconds)), "application/json; charset=utf-8",
                errorNode("ratelimited").toString());
    }

    private Answer postMessage(Install install, JsonNode args, String channel) {
        Answer refused = checkChannel(channel, true);
        if (refused != null) {
            return refused;
        }
        String text = text(args, "text");
        JsonNode blocks = blocks(args);
        refused = checkContent("chat.postMessage", text, blocks);
        if (refused != null) {
            return refused;
        }
        synchronized (lock) {
            String ts = nextTs();
            Message message = new Message(channel, ts, install.teamId(), text(args, "thread_ts"), text, blocks, 0);
            messages.put(channel + " " + ts, message);
            ObjectNode answer = JSON.createObjectNode();
            answer.put("ok", true);
            answer.put("channel", channel);
            answer.put("ts", ts);
            answer.set("message", messageNode(message));
            return Answer.json(200, answer);
        }
    }

    private Answer update(Install install, JsonNode args, String channel) {
        Answer refused = checkChannel(channel, false);
        if (refused != null) {
            return refused;
        }
        String ts = text(args, "ts");
        String text = text(args, "text");
        JsonNode blocks = blocks(args);
        synchronized (lock) {
            Message old = ts == null ? null : messages.get(channel + " " + ts);
            if (old == null) {
                return error("message_not_found");
            }
            if (!old.teamId().equals(install.teamId())) {
                return error("cant_update_message");
            }
            refused = checkContent("chat.update", text, blocks);
            if (refused != null) {
                return refused;
            }
            // What is not sent is kept: an update with blocks and no text keeps the old fallback text.
            Message updated = new Message(channel, ts, old.teamId(), old.threadTs(), text != null ? text : old.text(),
                    blocks != null ? blocks : old.blocks(), old.updates() + 1);
            messages.put(channel + " " + ts, updated);
            ObjectNode answer = JSON.createObjectNode();
            answer.put("ok", true);
            answer.put("channel", channel);
            answer.put("ts", ts);
            answer.put("text", updated.text());
            answer.set("message", messageNode(updated));
            return Answer.json(200, answer);
        }
    }

    private Answer checkChannel(String channel, boolean posting) {
        if (channel == null || channel.isBlank()) {
            return error("channel_not_found");
        }
        synchronized (lock) {
            if (channelNotFound.contains(channel)) {
                return error("channel_not_found");
            }
            if (posting && notInChannel.contains(channel)) {
                return error("not_in_channel");
            }
        }
        return null;
    }

    /** text and blocks as Slack takes them: one of the two, within the documented sizes. */
    private Answer checkContent(String apiMethod, String text, JsonNode blocks) {
        if (blocks != null && !blocks.isArray()) {
            violation(apiMethod + ": invalid_blocks: blocks is not an array");
            return error("invalid_blocks", "blocks must be an array [json-pointer:/blocks]");
        }
        boolean hasBlocks = blocks != null && !blocks.isEmpty();
        if ((text == null || text.isEmpty()) && !hasBlocks) {
            return error("no_text");
        }
        if (text != null && text.length() > MAX_TEXT) {
            violation(apiMethod + ": msg_too_long: text is " + text.length() + " characters (at most " + MAX_TEXT + ")");
            return error("msg_too_long");
        }
        if (blocks != null) {
            String problem = blockProblem(blocks);
            if (problem != null) {
                violation(apiMethod + ": invalid_blocks: " + problem);
                return error("invalid_blocks", problem);
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- response_url

    private Answer respond(String httpMethod, String path, String contentType, String body, Instant at) {
        if (!httpMethod.equals("POST")) {
            violation("response_url called with " + httpMethod);
            return Answer.json(405, errorNode("invalid_post_type"));
        }
        synchronized (lock) {
            ResponseUrl state = responseUrls.get(path);
            if (state == null) {
                violation("response_url " + path + " was never handed out");
                return Answer.json(404, errorNode("expired_url"));
            }
            if (!at.isBefore(state.expires)) {
                violation("response_url " + path + " used after its "
                        + Duration.between(state.minted, state.expires).toMinutes() + " minutes");
                return Answer.json(404, errorNode("expired_url"));
            }
            if (state.uses >= RESPONSE_URL_USES) {
                violation("response_url " + path + " used a " + (state.uses + 1) + "th time (Slack allows "
                        + RESPONSE_URL_USES + ")");
                return Answer.json(404, errorNode("expired_url"));
            }
            if (contentType == null || !mediaType(contentType).equals("application/json")) {
                violation("response_url: sent as " + contentType + "; the server is to send JSON");
                return Answer.json(400, errorNode("invalid_payload"));
            }
            JsonNode payload;
            try {
                payload = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                payload = null;
            }
            if (payload == null || !payload.isObject()) {
                violation("response_url: body is not a JSON object: " + abbreviate(body));
                return Answer.json(400, errorNode("invalid_payload"));
            }
            String responseType = text(payload, "response_type");
            if (responseType != null && !responseType.equals("in_channel") && !responseType.equals("ephemeral")) {
                violation("response_url: response_type " + responseType);
                return Answer.json(400, errorNode("invalid_payload"));
            }
            if (!payload.path("delete_original").asBoolean(false)) {
                JsonNode blocks = blocks(payload);
                Answer refused = checkContent("response_url", text(payload, "text"), blocks);
                if (refused != null) {
                    return new Answer(400, Map.of(), refused.contentType(), refused.body());
                }
            }
            state.uses++;
            state.posts.add(payload);
            return Answer.json(200, JSON.createObjectNode().put("ok", true));
        }
    }

    // ---------------------------------------------------------------- Block Kit

    /** The first thing Slack would refuse in these blocks, with a JSON pointer, or null. */
    static String blockProblem(JsonNode blocks) {
        if (!blocks.isArray()) {
            return "blocks must be an array [json-pointer:/blocks]";
        }
        if (blocks.size() > MAX_BLOCKS) {
            return "no more than " + MAX_BLOCKS + " blocks in a message, got " + blocks.size()
                    + " [json-pointer:/blocks]";
        }
        for (int i = 0; i < blocks.size(); i++) {
            String problem = block(blocks.get(i), "/blocks/" + i);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String block(JsonNode block, String at) {
        String type = block.path("type").asText(null);
        if (type == null || !BLOCK_TYPES.contains(type)) {
            return "unknown block type " + type + " [json-pointer:" + at + "/type]";
        }
        String problem = maxLength(block, "block_id", MAX_BLOCK_ID, at);
        if (problem != null) {
            return problem;
        }
        switch (type) {
            case "section" -> {
                JsonNode text = block.get("text");
                JsonNode fields = block.get("fields");
                if (text == null && (fields == null || fields.isEmpty())) {
                    return "a section needs text or fields [json-pointer:" + at + "]";
                }
                if (text != null) {
                    problem = textObject(text, false, 1, MAX_SECTION_TEXT, at + "/text");
                    if (problem != null) {
                        return problem;
                    }
                }
                if (fields != null) {
                    if (!fields.isArray() || fields.size() > MAX_SECTION_FIELDS) {
                        return "no more than " + MAX_SECTION_FIELDS + " fields [json-pointer:" + at + "/fields]";
                    }
                    for (int i = 0; i < fields.size(); i++) {
                        problem = textObject(fields.get(i), false, 1, MAX_SECTION_FIELD_TEXT, at + "/fields/" + i);
                        if (problem != null) {
                            return problem;
                        }
                    }
                }
                JsonNode accessory = block.get("accessory");
                return accessory == null ? null : element(accessory, at + "/accessory");
            }
            case "header" -> {
                return textObject(block.get("text"), true, 1, MAX_HEADER_TEXT, at + "/text");
            }
            case "markdown" -> {
                return block.path("text").isTextual() && block.get("text").asText().length() <= MAX_MARKDOWN_BLOCK_TEXT
                        ? null
                        : "markdown text must be a string of at most " + MAX_MARKDOWN_BLOCK_TEXT
                                + " characters [json-pointer:" + at + "/text]";
            }
            case "actions" -> {
                JsonNode elements = block.get("elements");
                if (elements == null || !elements.isArray() || elements.isEmpty()
                        || elements.size() > MAX_ACTIONS_ELEMENTS) {
                    return "an actions block holds 1 to " + MAX_ACTIONS_ELEMENTS + " elements [json-pointer:" + at
                            + "/elements]";
                }
                for (int i = 0; i < elements.size(); i++) {
                    problem = element(elements.get(i), at + "/elements/" + i);
                    if (problem != null) {
                        return problem;
                    }
                }
                return null;
            }
            case "context" -> {
                JsonNode elements = block.get("elements");
                if (elements == null || !elements.isArray() || elements.isEmpty()
                        || elements.size() > MAX_CONTEXT_ELEMENTS) {
                    return "a context block holds 1 to " + MAX_CONTEXT_ELEMENTS + " elements [json-pointer:" + at
                            + "/elements]";
                }
                for (int i = 0; i < elements.size(); i++) {
                    JsonNode element = elements.get(i);
                    if (!"image".equals(element.path("type").asText())) {
                        problem = textObject(element, false, 1, MAX_SECTION_TEXT, at + "/elements/" + i);
                        if (problem != null) {
                            return problem;
                        }
                    }
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    private static String element(JsonNode element, String at) {
        String problem = maxLength(element, "action_id", MAX_ACTION_ID, at);
        if (problem != null) {
            return problem;
        }
        if ("button".equals(element.path("type").asText())) {
            problem = textObject(element.get("text"), true, 1, MAX_BUTTON_TEXT, at + "/text");
            if (problem == null) {
                problem = maxLength(element, "value", MAX_BUTTON_VALUE, at);
            }
            if (problem == null) {
                problem = maxLength(element, "url", MAX_BUTTON_URL, at);
            }
            String style = element.path("style").asText(null);
            if (problem == null && style != null && !style.equals("primary") && !style.equals("danger")) {
                problem = "button style must be primary or danger [json-pointer:" + at + "/style]";
            }
            return problem;
        }
        return element.hasNonNull("type") ? null : "element without a type [json-pointer:" + at + "/type]";
    }

    private static String textObject(JsonNode text, boolean plainOnly, int min, int max, String at) {
        if (text == null || !text.isObject()) {
            return "expected a text object [json-pointer:" + at + "]";
        }
        String type = text.path("type").asText(null);
        if (!"plain_text".equals(type) && (plainOnly || !"mrkdwn".equals(type))) {
            return "text type must be plain_text" + (plainOnly ? "" : " or mrkdwn") + ", got " + type
                    + " [json-pointer:" + at + "/type]";
        }
        if (!text.path("text").isTextual()) {
            return "text must be a string [json-pointer:" + at + "/text]";
        }
        int length = text.get("text").asText().length();
        if (length < min || length > max) {
            return "must be " + min + " to " + max + " characters, got " + length + " [json-pointer:" + at + "/text]";
        }
        return null;
    }

    private static String maxLength(JsonNode node, String field, int max, String at) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            return field + " must be a string [json-pointer:" + at + "/" + field + "]";
        }
        return value.asText().length() <= max ? null
                : field + " must be at most " + max + " characters, got " + value.asText().length() + " [json-pointer:"
                        + at + "/" + field + "]";
    }

    // ---------------------------------------------------------------- helpers

    private void violation(String what) {
        violations.add(Instant.now() + " " + what);
    }

    /** Slack's ts: seconds and microseconds, unique in this fake. */
    private String nextTs() {
        long micros = Math.max(Instant.now().toEpochMilli() * 1000, lastTsMicros + 1);
        lastTsMicros = micros;
        return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    private static ObjectNode messageNode(Message message) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "message");
        node.put("subtype", "bot_message");
        node.put("text", message.text() == null ? "" : message.text());
        node.put("user", BOT_USER_ID);
        node.put("bot_id", BOT_ID);
        node.put("app_id", APP_ID);
        node.put("team", message.teamId());
        node.put("ts", message.ts());
        if (message.threadTs() != null) {
            node.put("thread_ts", message.threadTs());
        }
        if (message.blocks() != null) {
            node.set("blocks", message.blocks());
        }
        return node;
    }

    /** blocks as a JSON array, or as the JSON-encoded string Slack also takes. */
    private static JsonNode blocks(JsonNode args) {
        JsonNode blocks = args.get("blocks");
        if (blocks == null || blocks.isNull()) {
            return null;
        }
        if (blocks.isTextual()) {
            try {
                return JSON.readTree(blocks.asText());
            } catch (JsonProcessingException e) {
                return blocks;
            }
        }
        return blocks;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Answer error(String code) {
        return Answer.json(200, errorNode(code));
    }

    private static Answer error(String code, String message) {
        ObjectNode node = errorNode(code);
        ArrayNode messages = node.putObject("response_metadata").putArray("messages");
        messages.add("[ERROR] " + message);
        return Answer.json(200, node);
    }

    private static ObjectNode errorNode(String code) {
        return JSON.createObjectNode().put("ok", false).put("error", code);
    }

    private static Answer redirect(String location) {
        return new Answer(302, Map.of("Location", location), null, "");
    }

    private static Answer page(int status, String text) {
        return new Answer(status, Map.of(), "text/plain; charset=utf-8", text);
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return fields;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            fields.putIfAbsent(name, value);
        }
        return fields;
    }

    private static Map<String, String> jsonParams(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.isObject()) {
                node.properties().forEach(e -> fields.put(e.getKey(), e.getValue().asText()));
            }
        } catch (JsonProcessingException e) {
            // an unreadable body has no fields
        }
        return fields;
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static String charset(String contentType) {
        for (String part : contentType.split(";")) {
            String trimmed = part.trim();
            if (trimmed.regionMatches(true, 0, "charset=", 0, 8)) {
                return trimmed.substring(8).replace("\"", "").trim();
            }
        }
        return null;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String random(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return HexFormat.of().formatHex(buffer);
    }

    private static String digits(int count) {
        StringBuilder digits = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            digits.append(RANDOM.nextInt(10));
        }
        return digits.toString();
    }

    private static String abbreviate(String body) {
        return body.length() <= 200 ? body : body.substring(0, 200) + "…";
    }
}
