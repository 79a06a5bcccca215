package dev.ccp.server.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ccp.spi.wire.JsonValues;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's OAuth web flow and the two user endpoints, as GitHub documents them, for one OAuth app:
 * {@code GET /login/oauth/authorize} (the person signed in at "GitHub" is whoever the test says;
 * {@code redirect_uri} must be the registered callback's host and path or below it, any port on
 * loopback; {@code code_challenge_method} only {@code S256}), {@code POST
 * /login/oauth/access_token} (JSON only when asked with {@code Accept}; errors are 200 with an
 * {@code error} body; a code works once, for 10 minutes, with its PKCE verifier and the same
 * {@code redirect_uri}), and {@code GET /api/user}, {@code GET /api/user/emails} (Bearer token, the
 * {@code user:email} scope for emails, 5000 requests an hour with the {@code x-ratelimit-*} headers).
 *
 * <p>And the REST API of one GitHub App ({@link #APP_ID}, bot {@value #BOT_LOGIN}) as the
 * reviewer bot uses it, under {@code /api}, with GitHub's documented rules and limits:
 * <ul>
 * <li>every call needs a {@code User-Agent} (403 without one); an {@code Accept} other than
 * {@code application/vnd.github+json} is answered but recorded as a violation; an unknown
 * {@code X-GitHub-Api-Version} is a 400. Errors are {@code {"message", "documentation_url"}}.
 * <li>{@code /app/...} takes {@code Authorization: Bearer <JWT>}: RS256, signed with the key in
 * {@value #PRIVATE_KEY_RESOURCE}, {@code iss} the app id (string or number) or its client id,
 * {@code iat} not in the future, {@code exp} in the future and no more than 10 minutes ahead of
 * GitHub's clock. {@code GET /app}, {@code GET /app/installations/{id}}, {@code POST
 * /app/installations/{id}/access_tokens} (201, a {@code ghs_} token for one hour).
 * <li>{@code /repos/{owner}/{repo}/...} takes that token ({@code Bearer} or {@code token});
 * unknown or expired: 401 "Bad credentials"; a repository outside the installation's account:
 * 404. Pull request, its files and review comments (paginated: {@code per_page} 30 by default, at
 * most 100, {@code link} header; files at most 3000), check runs (at most 50 annotations a request,
 * summary and text at most 65535 characters, annotations appended across updates), reviews (each
 * comment's line must be in the file's diff on its side, else 422 "Line could not be resolved"),
 * a single review comment on a line or on a whole file ({@code subject_type: file}), and editing or
 * deleting a review comment.
 * <li>Rate limits, per installation: every answer has the {@code x-ratelimit-*} headers; past the
 * primary limit ({@link #primaryLimit}, 5000 an hour) 403 with {@code x-ratelimit-remaining: 0};
 * past the secondary limit on content creation ({@link #secondaryLimit}, 80 a minute, and 500 an
 * hour) 403 with {@code retry-after}. {@link #rateLimitNext} makes the next call a 429 with
 * {@code retry-after}. A call while either is in force is a {@linkplain #violations() violation}.
 * </ul>
 * A test sets the scene ({@link #installation}, {@link #pullRequest}, {@link #humanComment}) and
 * reads what the server did ({@link #checkRuns}, {@link #reviews}, {@link #comments}, {@link
 * #calls}, {@link #violations}): a violation is anything GitHub would refuse or hold against the
 * app, recorded even when the fake answers it.
 */
public final class FakeGitHub implements AutoCloseable {

    public static final String CLIENT_ID = "Iv1.it0github0client";
    public static final String CLIENT_SECRET = "it-github-client-secret";
    static final Duration CODE_TTL = Duration.ofMinutes(10);
    static final int HOURLY_LIMIT = 5000;

    /** The GitHub App's id: a JWT's {@code iss} (this, as a string or a number, or {@link #CLIENT_ID}). */
    public static final long APP_ID = 424242;
    public static final String APP_SLUG = "ccp-policy";
    /** Who GitHub says made what an installation token made, with {@code "type": "Bot"}. */
    public static final String BOT_LOGIN = APP_SLUG + "[bot]";
    /** The app's private key (test-only, committed), on the test class path. */
    public static final String PRIVATE_KEY_RESOURCE = "github/app-key.pem";
    static final Duration JWT_MAX_AHEAD = Duration.ofMinutes(10);
    static final Duration INSTALLATION_TOKEN_TTL = Duration.ofHours(1);
    static final int MAX_ANNOTATIONS = 50;
    static final int MAX_OUTPUT_CHARS = 65535;
    static final int MAX_ANNOTATION_TITLE = 255;
    static final int MAX_ANNOTATION_BYTES = 64 * 1024;
    static final int MAX_LISTED_FILES = 3000;
    static final int DEFAULT_PER_PAGE = 30;
    static final int MAX_PER_PAGE = 100;
    static final int DEFAULT_SECONDARY_PER_MINUTE = 80;
    static final int SECONDARY_PER_HOUR = 500;
    static final int UNAUTHENTICATED_LIMIT = 60;
    static final Set<String> API_VERSIONS = Set.of("2022-11-28", "2026-03-10");
    static final Map<String, Object> TOKEN_PERMISSIONS = Map.of("checks", "write", "contents", "read", "metadata", "read",
            "pull_requests", "write");

    private static final String DOCS = "https://docs.github.com/rest";
    private static final String DOCS_APP = "https://docs.github.com/rest/apps/apps";
    private static final String DOCS_TOKEN = DOCS_APP + "#create-an-installation-access-token-for-an-app";
    private static final String DOCS_PULLS = "https://docs.github.com/rest/pulls/pulls";
    private static final String DOCS_CREATE_RUN = "https://docs.github.com/rest/checks/runs#create-a-check-run";
    private static final String DOCS_UPDATE_RUN = "https://docs.github.com/rest/checks/runs#update-a-check-run";
    private static final String DOCS_REVIEW = "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request";
    private static final String DOCS_COMMENTS = "https://docs.github.com/rest/pulls/comments";
    private static final String DOCS_RATE = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api";
    private static final String DOCS_SECONDARY = DOCS_RATE + "#about-secondary-rate-limits";
    private static final String BAD_JWT = "A JSON web token could not be decoded";
    private static final String BAD_IAT = "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
    private static final String BAD_EXP = "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
    private static final String FAR_EXP = "'Expiration time' claim ('exp') is too far in the future";
    private static final String SECONDARY = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";
    private static final String CONTENT_SECONDARY = "You have exceeded a secondary rate limit and have been temporarily blocked from content"
            + " creation. Please retry your request again later.";
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Set<String> FILE_STATUSES = Set.of("added", "removed", "modified", "renamed", "copied", "changed", "unchanged");
    private static final Set<String> RUN_STATUSES = Set.of("queued", "in_progress", "completed");
    private static final Set<String> CONCLUSIONS = Set.of("action_required", "cancelled", "failure", "neutral", "success", "skipped",
            "stale", "timed_out");
    private static final Set<String> LEVELS = Set.of("notice", "warning", "failure");
    private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,\\d+)? \\+(\\d+)(?:,\\d+)? @@.*");
    private static final Pattern INSTALLATION = Pattern.compile("/api/app/installations/(\\d+)");
    private static final Pattern ACCESS_TOKENS = Pattern.compile("/api/app/installations/(\\d+)/access_tokens");
    private static final Pattern REPO = Pattern.compile("/api/repos/([^/]+)/([^/]+)(/.+)");
    private static final Pattern MEMBERSHIP = Pattern.compile("/api/orgs/([^/]+)/memberships/([^/]+)");
    private static final Pattern PULL = Pattern.compile("/pulls/(\\d+)");
    private static final Pattern PULL_FILES = Pattern.compile("/pulls/(\\d+)/files");
    private static final Pattern PULL_COMMENTS = Pattern.compile("/pulls/(\\d+)/comments");
    private static final Pattern PULL_REVIEWS = Pattern.compile("/pulls/(\\d+)/reviews");
    private static final Pattern COMMENT = Pattern.compile("/pulls/comments/(\\d+)");
    private static final Pattern CHECK_RUN = Pattern.compile("/check-runs/(\\d+)");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** A GitHub account: its handle, and its email addresses as {@code GET /user/emails} lists them. */
    public record Account(String login, long id, List<Map<String, Object>> emails) {
        public static Account of(String login, String email, boolean verified) {
            return new Account(login, Math.abs(login.hashCode()), List.of(Map.of("email", email, "primary", true, "verified", verified,
                    "visibility", "private")));
        }
    }

    /**
     * A changed file of a pull request, as "List pull requests files" gives it: {@code status} one of
     * GitHub's ({@code added, removed, modified, renamed, copied, changed, unchanged}); {@code patch}
     * the unified diff's hunks (from the first {@code @@}), or null where GitHub leaves it out (a
     * binary file, or a diff too large). Additions, deletions and changes are counted from the patch.
     */
    public record File(String filename, String status, String patch) {
        public File {
            Objects.requireNonNull(filename, "filename");
            if (!FILE_STATUSES.contains(status)) {
                throw new IllegalArgumentException("not a GitHub file status: " + status);
            }
        }

        public int additions() {
            return patch == null ? 0 : Diff.of(patch).additions;
        }

        public int deletions() {
            return patch == null ? 0 : Diff.of(patch).deletions;
        }

        public int changes() {
            return additions() + deletions();
        }
    }

    /** One request to the fake: {@code path} with its query, if any; {@code status} as answered. */
    public record Call(String method, String path, int status, Instant at) {
    }

    /** A check run annotation as the app sent it. */
    public record Annotation(String path, int startLine, int endLine, String level, String message, String title) {
    }

    /** A check run's state now, with every annotation sent to it, in order; {@code updates}: PATCHes accepted. */
    public record CheckRun(long id, String owner, String repo, String name, String headSha, String externalId, String status,
            String conclusion, Instant startedAt, Instant completedAt, String title, String summary, String text,
            List<Annotation> annotations, int updates) {
    }

    /**
     * A review comment now: {@code line} null once a later push took it out of the diff (GitHub's
     * "outdated"); {@code originalLine} where it was made, null (with {@code line} and {@code side})
     * for a comment on the file as a whole. {@code userType} {@code Bot} or {@code User}.
     */
    public record Comment(long id, long reviewId, String path, Integer line, String side, Integer originalLine, String body,
            String login, String userType, String commitId, Instant createdAt, Instant updatedAt) {
    }

    /** A submitted review: {@code state} APPROVED, CHANGES_REQUESTED, COMMENTED or PENDING; its comments' ids. */
    public record Review(long id, String login, String state, String body, String commitId, List<Long> commentIds,
            Instant submittedAt) {
    }

    private record Code(Account account, String redirectUri, String challenge, String scope, Instant expires) {
    }

    private record Token(Account account, String scope) {
    }

    private record InstallationToken(long installation, Instant expires) {
    }

    private record Installation(long id, String login, long accountId) {
    }

    private record Answer(int status, String type, byte[] body, Map<String, String> headers) {
    }

    /** Ends a call with an answer: thrown by the handlers, so nothing is changed by a refused call. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Answer answer;

        Refusal(Answer answer) {
            super(null, null, false, false);
            this.answer = answer;
        }
    }

    private static final class PullRequest {
        final String owner;
        final String repo;
        final int number;
        final long id;
        final String baseSha;
        String author;
        boolean draft;
        String headSha;
        final Map<String, List<File>> pushes = new LinkedHashMap<>();

        PullRequest(String owner, String repo, int number, long id) {
            this.owner = owner;
            this.repo = repo;
            this.number = number;
            this.id = id;
            this.baseSha = sha("base:" + owner + "/" + repo + "#" + number);
        }

        List<File> files() {
            return pushes.get(headSha);
        }
    }

    private static final class Run {
        long id;
        String owner;
        String repo;
        String name;
        String headSha;
        String externalId;
        String detailsUrl;
        String status;
        String conclusion;
        Instant startedAt;
        Instant completedAt;
        String title;
        String summary;
        String text;
        final List<Annotation> annotations = new ArrayList<>();
        int updates;

        CheckRun snapshot() {
            return new CheckRun(id, owner, repo, name, headSha, externalId, status, conclusion, startedAt, completedAt, title, summary,
                    text, List.copyOf(annotations), updates);
        }
    }

    private record Output(boolean present, String title, String summary, String text, List<Annotation> annotations) {
    }

    /** One rate limit bucket: an installation, the app (JWT calls), or unauthenticated callers. */
    private static final class Bucket {
        final String name;
        final long installation;
        Instant windowStart;
        int used;
        Instant blockedUntil;
        int blockStatus;
        String blockMessage;
        final Deque<Instant> writes = new ArrayDeque<>();

        Bucket(String name, long installation) {
            this.name = name;
            this.installation = installation;
        }
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
    private final ExecutorService executor;

    // The app's state: guarded by lock.
    private final Object lock = new Object();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Map<Long, Installation> installations = new LinkedHashMap<>();
    /** Organization memberships, as {@code org/login} to role ({@code admin} or {@code member}). */
    private final Map<String, String> memberships = new HashMap<>();
    private final Map<String, InstallationToken> installationTokens = new HashMap<>();
    private final Map<String, PullRequest> pulls = new LinkedHashMap<>();
    private final Map<Long, Run> runs = new LinkedHashMap<>();
    private final Map<String, List<Review>> reviews = new HashMap<>();
    private final Map<Long, Comment> comments = new LinkedHashMap<>();
    private final Map<Long, String> commentPull = new HashMap<>();
    private final Map<String, Bucket> buckets = new HashMap<>();
    private long nextId = 1001;
    private int primaryLimit = HOURLY_LIMIT;
    private int secondaryPerMinute = DEFAULT_SECONDARY_PER_MINUTE;
    private Integer retryAfterNext;
    private String failNext;
    private int failAfter;

    /**
     * @param port 0 for any free port
     * @param callback the app's registered callback URL
     */
    public FakeGitHub(int port, String callback, Clock clock) throws IOException {
        this.callback = URI.create(callback);
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", this::handle);
        executor = Executors.newFixedThreadPool(4, task -> {
            Thread thread = new Thread(task, "fake-github");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
    }

    public String web() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String api() {
        return web() + "/api";
    }

    // ---- The test's side of the GitHub App ----

    /** The app's private key, PKCS#8 PEM: what the server is given as {@code CCP_GITHUB_PRIVATE_KEY}. */
    public String privateKeyPem() {
        return AppKey.PEM;
    }

    /** Where the app's private key is on disk (in the test classes), for a server that reads a file. */
    public static Path privateKeyPath() {
        URL url = FakeGitHub.class.getClassLoader().getResource(PRIVATE_KEY_RESOURCE);
        if (url == null) {
            throw new IllegalStateException(PRIVATE_KEY_RESOURCE + " is not on the class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The app is installed on {@code accountLogin} (an organization), for all its repositories. */
    /** {@code login} belongs to the organization {@code org} with {@code role} ({@code admin} or {@code member}). */
    public void orgMember(String org, String login, String role) {
        synchronized (lock) {
            memberships.put(org.toLowerCase(java.util.Locale.ROOT) + "/" + login.toLowerCase(java.util.Locale.ROOT), role);
        }
    }

    public void installation(long id, String accountLogin) {
        synchronized (lock) {
            installations.put(id, new Installation(id, accountLogin, Math.abs((long) accountLogin.toLowerCase(Locale.ROOT).hashCode())));
        }
    }

    /** The primary limit of every installation, requests an hour (GitHub: 5000 at least). */
    public void primaryLimit(int perHour) {
        synchronized (lock) {
            primaryLimit = perHour;
        }
    }

    /** Content-creating requests (POST, PATCH, PUT, DELETE) an installation may make a minute (GitHub: 80). */
    public void secondaryLimit(int perMinute) {
        synchronized (lock) {
            secondaryPerMinute = perMinute;
        }
    }

    /**
     * The next App API call that starts with {@code call} ({@code "PATCH /api/repos/o/r/check-runs/"})
     * is answered 502, as GitHub answers now and then; the calls after it are served.
     */
    public void failNext(String call) {
        failNext(call, 0);
    }

    /** As {@link #failNext(String)}, after serving {@code served} such calls first. */
    public void failNext(String call, int served) {
        synchronized (lock) {
            failNext = call;
            failAfter = served;
        }
    }

    /** The next App API call is answered 429 with {@code retry-after: retryAfterSeconds}; its caller must wait that long. */
    public void rateLimitNext(int retryAfterSeconds) {
        synchronized (lock) {
            retryAfterNext = retryAfterSeconds;
        }
    }

    /** A pull request by {@code octocat}, not a draft; see {@link #pullRequest(String, String, int, String, List, String, boolean)}. */
    public void pullRequest(String owner, String repo, int number, String headSha, List<File> files) {
        pullRequest(owner, repo, number, headSha, files, "octocat", false);
    }

    /**
     * Opens the pull request, or pushes to it: a new {@code headSha} is a new head with these files
     * (review comments whose line left the diff become outdated); the same one replaces its files.
     */
    public void pullRequest(String owner, String repo, int number, String headSha, List<File> files, String author, boolean draft) {
        synchronized (lock) {
            PullRequest pr = pulls.computeIfAbsent(pullKey(owner, repo, number), k -> new PullRequest(owner, repo, number, nextId++));
            pr.author = author;
            pr.draft = draft;
            pr.headSha = headSha;
            pr.pushes.remove(headSha);
            pr.pushes.put(headSha, List.copyOf(files));
            String key = pullKey(owner, repo, number);
            for (Map.Entry<Long, Comment> entry : comments.entrySet()) {
                Comment c = entry.getValue();
                if (key.equals(commentPull.get(entry.getKey())) && c.line() != null) {
                    Diff diff = diff(pr.files(), c.path());
                    if (diff == null || !diff.has(c.side(), c.line())) {
                        entry.setValue(new Comment(c.id(), c.reviewId(), c.path(), null, c.side(), c.originalLine(), c.body(), c.login(),
                                c.userType(), c.commitId(), c.createdAt(), c.updatedAt()));
                    }
                }
            }
        }
    }

    /** A person's review comment on a line of the head's diff (RIGHT side), in its own single-comment review; its id. */
    public long humanComment(String owner, String repo, int number, String login, String path, int line, String body) {
        synchronized (lock) {
            PullRequest pr = pulls.get(pullKey(owner, repo, number));
            if (pr == null) {
                throw new IllegalStateException("no pull request " + pullKey(owner, repo, number));
            }
            Diff diff = diff(pr.files(), path);
            if (diff == null || !diff.has("RIGHT", line)) {
                throw new IllegalArgumentException(path + " line " + line + " is not a line of the head's diff (RIGHT side)");
            }
            Instant now = clock.instant();
            long reviewId = nextId++;
            long id = nextId++;
            comments.put(id, new Comment(id, reviewId, path, line, "RIGHT", line, body, login, "User", pr.headSha, now, now));
            commentPull.put(id, pullKey(owner, repo, number));
            reviews.computeIfAbsent(pullKey(owner, repo, number), k -> new ArrayList<>())
                    .add(new Review(reviewId, login, "COMMENTED", "", pr.headSha, List.of(id), now));
            return id;
        }
    }

    /** The repository's check runs, in the order they were created. */
    public List<CheckRun> checkRuns(String owner, String repo) {
        synchronized (lock) {
            return runs.values().stream().filter(r -> r.owner.equalsIgnoreCase(owner) && r.repo.equalsIgnoreCase(repo)).map(Run::snapshot)
                    .toList();
        }
    }

    public List<Review> reviews(String owner, String repo, int number) {
        synchronized (lock) {
            return List.copyOf(reviews.getOrDefault(pullKey(owner, repo, number), List.of()));
        }
    }

    /** The pull request's review comments now (deleted ones gone, edits applied), oldest first. */
    public List<Comment> comments(String owner, String repo, int number) {
        synchronized (lock) {
            String key = pullKey(owner, repo, number);
            return comments.values().stream().filter(c -> key.equals(commentPull.get(c.id()))).toList();
        }
    }

    /** Every request to the fake, OAuth flow included, in order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** What the app did that GitHub refuses or holds against it, one line each, in order. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** Forgets the app's installations, tokens, pull requests, runs, reviews, comments, calls, violations and limits. */
    public void reset() {
        synchronized (lock) {
            calls.clear();
            violations.clear();
            installations.clear();
            installationTokens.clear();
            pulls.clear();
            runs.clear();
            reviews.clear();
            comments.clear();
            commentPull.clear();
            buckets.clear();
            primaryLimit = HOURLY_LIMIT;
            secondaryPerMinute = DEFAULT_SECONDARY_PER_MINUTE;
            retryAfterNext = null;
            failNext = null;
        }
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
            } else if (path.equals("/api/app") || path.startsWith("/api/app/") || path.startsWith("/api/repos/") || path.startsWith("/api/orgs/")) {
                rest(exchange, method, path);
            } else {
                send(exchange, 404, "application/json", "{\"message\":\"Not Found\"}");
            }
        } finally {
            String raw = exchange.getRequestURI().getRawQuery();
            calls.add(new Call(method, raw == null ? path : path + "?" + raw, exchange.getResponseCode(), clock.instant()));
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

    // ---- The GitHub App's REST API ----

    private void rest(HttpExchange exchange, String method, String path) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Answer answer;
        synchronized (lock) {
            answer = rest(method, path, exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body);
        }
        answer.headers().forEach(exchange.getResponseHeaders()::set);
        exchange.getResponseHeaders().set("X-GitHub-Request-Id", UUID.randomUUID().toString().toUpperCase(Locale.ROOT).substring(0, 23));
        if (answer.body() == null) {
            exchange.sendResponseHeaders(answer.status(), -1);
        } else {
            exchange.getResponseHeaders().set("Content-Type", answer.type());
            exchange.sendResponseHeaders(answer.status(), answer.body().length);
            exchange.getResponseBody().write(answer.body());
        }
    }

    private Answer rest(String method, String path, String rawQuery, Headers headers, byte[] body) {
        Instant now = clock.instant();
        String call = method + " " + path;
        String agent = headers.getFirst("User-Agent");
        if (agent == null || agent.isBlank()) {
            violation(call, "no User-Agent header (GitHub answers 403)");
            return new Answer(403, "text/plain; charset=utf-8", ("Request forbidden by administrative rules. Please make sure your request"
                    + " has a User-Agent header (https://docs.github.com/rest/overview/resources-in-the-rest-api#user-agent-required)."
                    + " Check https://developer.github.com for other possible causes.\n").getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>());
        }
        String version = headers.getFirst("X-GitHub-Api-Version");
        if (version != null && !API_VERSIONS.contains(version)) {
            violation(call, "X-GitHub-Api-Version " + version + " is not a supported version");
            return error(400, "The version you specified in the \"X-GitHub-Api-Version\" request header, \"" + version
                    + "\", is not a supported version. The following versions are currently supported: \"2026-03-10\" (most recent),"
                    + " \"2022-11-28\".", DOCS, null);
        }
        String accept = headers.getFirst("Accept");
        if (accept == null || !accept.contains("application/vnd.github+json")) {
            violation(call, "Accept is " + (accept == null ? "missing" : "\"" + accept + "\"") + ", not application/vnd.github+json");
        }
        String authorization = headers.getFirst("Authorization");
        boolean app = path.equals("/api/app") || path.startsWith("/api/app/");
        Bucket bucket;
        Installation installation = null;
        if (app) {
            String problem = jwtProblem(authorization, now);
            if (problem != null) {
                violation(call, "app JWT refused: " + problem);
                return unauthenticated(problem, now);
            }
            bucket = buckets.computeIfAbsent("app", name -> new Bucket(name, 0));
        } else {
            installation = installation(authorization, now, call);
            if (installation == null) {
                return unauthenticated("Bad credentials", now);
            }
            long id = installation.id();
            bucket = buckets.computeIfAbsent("installation " + id, name -> new Bucket(name, id));
        }
        boolean write = !app && Set.of("POST", "PATCH", "PUT", "DELETE").contains(method);
        Answer limited = gate(bucket, call, write, now);
        if (limited != null) {
            return limited;
        }
        Answer answer;
        try {
            answer = app ? appRoute(method, path, body, now, call) : repoRoute(method, path, query(rawQuery), body, installation, now, call);
        } catch (Refusal refusal) {
            answer = refusal.answer;
        }
        if (write && answer.status() < 300) {
            bucket.writes.addLast(now);
        }
        answer.headers().putAll(rateHeaders(bucket));
        return answer;
    }

    private Answer unauthenticated(String message, Instant now) {
        Bucket bucket = buckets.computeIfAbsent("unauthenticated", name -> new Bucket(name, 0));
        window(bucket, now);
        bucket.used++;
        Answer answer = error(401, message, DOCS, null);
        answer.headers().putAll(rateHeaders(bucket));
        return answer;
    }

    /** GitHub's JWT rules for a GitHub App; null when the JWT is good. */
    private static String jwtProblem(String authorization, Instant now) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return BAD_JWT;
        }
        Map<String, Object> claims;
        try {
            SignedJWT jwt = SignedJWT.parse(authorization.substring(7).trim());
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new RSASSAVerifier(AppKey.PUBLIC))) {
                return BAD_JWT;
            }
            claims = jwt.getPayload().toJSONObject();
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return BAD_JWT;
        }
        if (claims == null) {
            return BAD_JWT;
        }
        Object iss = claims.get("iss");
        boolean issuer = iss instanceof String s ? s.equals(Long.toString(APP_ID)) || s.equals(CLIENT_ID)
                : iss instanceof Number n && n.doubleValue() == APP_ID;
        if (!issuer) {
            return "Integration not found";
        }
        long seconds = now.getEpochSecond();
        if (!(claims.get("iat") instanceof Number iat) || iat.doubleValue() > seconds) {
            return BAD_IAT;
        }
        if (!(claims.get("exp") instanceof Number exp) || exp.doubleValue() <= seconds) {
            return BAD_EXP;
        }
        if (exp.doubleValue() > seconds + JWT_MAX_AHEAD.toSeconds()) {
            return FAR_EXP;
        }
        return null;
    }

    /** The installation whose token the call carries, or null (recorded) when there is no good one. */
    private Installation installation(String authorization, Instant now, String call) {
        String token = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = authorization.substring(7).trim();
        } else if (authorization != null && authorization.regionMatches(true, 0, "token ", 0, 6)) {
            token = authorization.substring(6).trim();
        }
        InstallationToken found = token == null ? null : installationTokens.get(token);
        if (found == null) {
            violation(call, token == null ? "no installation token" : "not an installation token this app was given");
            return null;
        }
        if (!now.isBefore(found.expires())) {
            violation(call, "installation token expired at " + iso(found.expires()));
            return null;
        }
        Installation installation = installations.get(found.installation());
        if (installation == null) {
            violation(call, "the token's installation " + found.installation() + " is gone");
        }
        return installation;
    }

    private static void window(Bucket bucket, Instant now) {
        if (bucket.windowStart == null || !now.isBefore(bucket.windowStart.plus(HOUR))) {
            bucket.windowStart = now;
            bucket.used = 0;
        }
    }

    private int limit(Bucket bucket) {
        return bucket.name.equals("unauthenticated") ? UNAUTHENTICATED_LIMIT : primaryLimit;
    }

    private Map<String, String> rateHeaders(Bucket bucket) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-ratelimit-limit", Integer.toString(limit(bucket)));
        headers.put("x-ratelimit-remaining", Integer.toString(Math.max(0, limit(bucket) - bucket.used)));
        headers.put("x-ratelimit-used", Integer.toString(bucket.used));
        headers.put("x-ratelimit-reset", Long.toString(bucket.windowStart.plus(HOUR).getEpochSecond()));
        headers.put("x-ratelimit-resource", "core");
        return headers;
    }

    /**
     * The primary and secondary limits: null lets the call through (and counts it), else the refusal.
     * Content creation counts the writes GitHub accepted, in the last minute and the last hour.
     */
    private Answer gate(Bucket bucket, String call, boolean write, Instant now) {
        window(bucket, now);
        if (bucket.blockedUntil != null && now.isBefore(bucket.blockedUntil)) {
            long left = secondsUntil(now, bucket.blockedUntil);
            violation(call, "called while retry-after was in force (" + left + " s left)");
            return limited(bucket, bucket.blockStatus, bucket.blockMessage, left);
        }
        bucket.blockedUntil = null;
        if (bucket.used >= primaryLimit) {
            violation(call, "called with x-ratelimit-remaining 0 before x-ratelimit-reset ("
                    + bucket.windowStart.plus(HOUR).getEpochSecond() + ")");
            String who = bucket.installation != 0 ? " for installation ID " + bucket.installation : "";
            Answer answer = error(403, "API rate limit exceeded" + who + ".", DOCS_RATE + "#exceeding-the-rate-limit", null);
            answer.headers().putAll(rateHeaders(bucket));
            return answer;
        }
        if (failNext != null && call.startsWith(failNext) && failAfter-- <= 0) {
            failNext = null;
            return error(502, "Server Error", DOCS, null);
        }
        if (retryAfterNext != null) {
            int seconds = retryAfterNext;
            retryAfterNext = null;
            return block(bucket, now, now.plusSeconds(seconds), 429, SECONDARY);
        }
        if (write) {
            while (!bucket.writes.isEmpty() && !bucket.writes.peekFirst().isAfter(now.minus(HOUR))) {
                bucket.writes.removeFirst();
            }
            Instant oldestInMinute = null;
            int inMinute = 0;
            for (Instant at : bucket.writes) {
                if (at.isAfter(now.minus(MINUTE))) {
                    oldestInMinute = oldestInMinute == null ? at : oldestInMinute;
                    inMinute++;
                }
            }
            if (inMinute >= secondaryPerMinute && oldestInMinute != null) {
                return block(bucket, now, oldestInMinute.plus(MINUTE), 403, CONTENT_SECONDARY);
            }
            if (bucket.writes.size() >= SECONDARY_PER_HOUR) {
                return block(bucket, now, bucket.writes.peekFirst().plus(HOUR), 403, CONTENT_SECONDARY);
            }
        }
        bucket.used++;
        return null;
    }

    private Answer block(Bucket bucket, Instant now, Instant until, int status, String message) {
        bucket.blockedUntil = until;
        bucket.blockStatus = status;
        bucket.blockMessage = message;
        return limited(bucket, status, message, secondsUntil(now, until));
    }

    private Answer limited(Bucket bucket, int status, String message, long retryAfter) {
        Answer answer = error(status, message, DOCS_SECONDARY, null);
        answer.headers().putAll(rateHeaders(bucket));
        answer.headers().put("retry-after", Long.toString(retryAfter));
        return answer;
    }

    private static long secondsUntil(Instant now, Instant until) {
        long millis = Duration.between(now, until).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }

    private Answer appRoute(String method, String path, byte[] body, Instant now, String call) {
        Matcher m;
        if (method.equals("GET") && path.equals("/api/app")) {
            return json(200, appJson());
        } else if (method.equals("GET") && (m = INSTALLATION.matcher(path)).matches()) {
            Installation installation = installations.get(Long.parseLong(m.group(1)));
            return installation == null ? notFound(DOCS_APP + "#get-an-installation-for-the-authenticated-app")
                    : json(200, installationJson(installation));
        } else if (method.equals("POST") && (m = ACCESS_TOKENS.matcher(path)).matches()) {
            Installation installation = installations.get(Long.parseLong(m.group(1)));
            if (installation == null) {
                violation(call, "no installation " + m.group(1));
                return notFound(DOCS_TOKEN);
            }
            Map<String, Object> request = body.length == 0 ? Map.of() : object(body, call);
            Map<String, Object> permissions = request.get("permissions") instanceof Map<?, ?> asked
                    ? cast(asked) : new java.util.TreeMap<>(TOKEN_PERMISSIONS);
            String token = "ghs_" + random(36);
            Instant expires = now.truncatedTo(ChronoUnit.SECONDS).plus(INSTALLATION_TOKEN_TTL);
            installationTokens.put(token, new InstallationToken(installation.id(), expires));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("token", token);
            answer.put("expires_at", iso(expires));
            answer.put("permissions", permissions);
            answer.put("repository_selection", request.containsKey("repositories") || request.containsKey("repository_ids") ? "selected" : "all");
            return json(201, answer);
        }
        return notFaked(call);
    }

    private Answer repoRoute(String method, String path, Map<String, String> q, byte[] body, Installation installation, Instant now,
            String call) {
        Matcher membership = MEMBERSHIP.matcher(path);
        if (membership.matches() && method.equals("GET")) {
            // GET /orgs/{org}/memberships/{username}: an installation on that organization, with members read, sees it.
            String org = URLDecoder.decode(membership.group(1), StandardCharsets.UTF_8);
            String login = URLDecoder.decode(membership.group(2), StandardCharsets.UTF_8);
            String role = memberships.get(org.toLowerCase(java.util.Locale.ROOT) + "/" + login.toLowerCase(java.util.Locale.ROOT));
            if (!installation.login().equalsIgnoreCase(org) || role == null) {
                return notFound(DOCS);
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("state", "active");
            json.put("role", role);
            json.put("organization", Map.of("login", installation.login(), "id", installation.accountId()));
            json.put("user", Map.of("login", login, "type", "User"));
            return json(200, json);
        }
        Matcher repoMatch = REPO.matcher(path);
        if (!repoMatch.matches()) {
            return notFaked(call);
        }
        String owner = URLDecoder.decode(repoMatch.group(1), StandardCharsets.UTF_8);
        String repo = URLDecoder.decode(repoMatch.group(2), StandardCharsets.UTF_8);
        String rest = repoMatch.group(3);
        if (!installation.login().equalsIgnoreCase(owner)) {
            violation(call, "installation " + installation.id() + " (" + installation.login() + ") has no access to " + owner + "/" + repo);
            return notFound(DOCS);
        }
        Matcher m;
        if ((m = PULL.matcher(rest)).matches() && method.equals("GET")) {
            return json(200, pullJson(pull(owner, repo, m.group(1))));
        } else if ((m = PULL_FILES.matcher(rest)).matches() && method.equals("GET")) {
            PullRequest pr = pull(owner, repo, m.group(1));
            List<Object> files = new ArrayList<>();
            for (File file : pr.files().subList(0, Math.min(MAX_LISTED_FILES, pr.files().size()))) {
                files.add(fileJson(pr, file));
            }
            return page(files, q, path);
        } else if ((m = PULL_COMMENTS.matcher(rest)).matches() && method.equals("GET")) {
            PullRequest pr = pull(owner, repo, m.group(1));
            String key = pullKey(pr.owner, pr.repo, pr.number);
            List<Object> listed = new ArrayList<>();
            comments.values().stream().filter(c -> key.equals(commentPull.get(c.id()))).sorted(Comparator.comparingLong(Comment::id))
                    .forEach(c -> listed.add(commentJson(pr, c)));
            return page(listed, q, path);
        } else if ((m = PULL_COMMENTS.matcher(rest)).matches() && method.equals("POST")) {
            return createComment(pull(owner, repo, m.group(1)), object(body, call), now, call);
        } else if ((m = PULL_REVIEWS.matcher(rest)).matches() && method.equals("GET")) {
            PullRequest pr = pull(owner, repo, m.group(1));
            List<Object> listed = new ArrayList<>();
            reviews.getOrDefault(pullKey(owner, repo, pr.number), List.of()).forEach(r -> listed.add(reviewJson(pr, r)));
            return page(listed, q, path);
        } else if ((m = PULL_REVIEWS.matcher(rest)).matches() && method.equals("POST")) {
            return createReview(pull(owner, repo, m.group(1)), object(body, call), now, call);
        } else if ((m = COMMENT.matcher(rest)).matches() && Set.of("GET", "PATCH", "DELETE").contains(method)) {
            return comment(method, owner, repo, Long.parseLong(m.group(1)), body, now, call);
        } else if (rest.equals("/check-runs") && method.equals("POST")) {
            return createRun(owner, repo, object(body, call), now, call);
        } else if ((m = CHECK_RUN.matcher(rest)).matches() && (method.equals("PATCH") || method.equals("GET"))) {
            Run run = runs.get(Long.parseLong(m.group(1)));
            if (run == null || !run.owner.equalsIgnoreCase(owner) || !run.repo.equalsIgnoreCase(repo)) {
                violation(call, "no check run " + m.group(1) + " in " + owner + "/" + repo);
                return notFound(DOCS_UPDATE_RUN);
            }
            return method.equals("GET") ? json(200, runJson(run)) : updateRun(run, object(body, call), now, call);
        }
        return notFaked(call);
    }

    private PullRequest pull(String owner, String repo, String number) {
        PullRequest pr = pulls.get(pullKey(owner, repo, Integer.parseInt(number)));
        if (pr == null) {
            throw new Refusal(notFound(DOCS_PULLS));
        }
        return pr;
    }

    /** One page of a list, with GitHub's {@code link} header: per_page 30 by default, at most 100. */
    private Answer page(List<Object> items, Map<String, String> q, String path) {
        int perPage = number(q.get("per_page"), DEFAULT_PER_PAGE);
        perPage = perPage < 1 ? DEFAULT_PER_PAGE : Math.min(MAX_PER_PAGE, perPage);
        int page = Math.max(1, number(q.get("page"), 1));
        int last = Math.max(1, (items.size() + perPage - 1) / perPage);
        int from = Math.min(items.size(), (page - 1) * perPage);
        Answer answer = json(200, new ArrayList<>(items.subList(from, Math.min(items.size(), from + perPage))));
        String base = web() + path + "?" + (q.containsKey("per_page") ? "per_page=" + perPage + "&" : "") + "page=";
        List<String> links = new ArrayList<>();
        if (page > 1) {
            links.add("<" + base + Math.min(page - 1, last) + ">; rel=\"prev\"");
        }
        if (page < last) {
            links.add("<" + base + (page + 1) + ">; rel=\"next\"");
            links.add("<" + base + last + ">; rel=\"last\"");
        }
        if (page > 1) {
            links.add("<" + base + 1 + ">; rel=\"first\"");
        }
        if (!links.isEmpty()) {
            answer.headers().put("Link", String.join(", ", links));
        }
        return answer;
    }

    private static int number(String text, int otherwise) {
        try {
            return text == null ? otherwise : Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    // ---- Check runs ----

    private Answer createRun(String owner, String repo, Map<String, Object> body, Instant now, String call) {
        String doc = DOCS_CREATE_RUN;
        String name = required(body, "name", doc, call);
        String headSha = required(body, "head_sha", doc, call);
        if (pulls.values().stream().noneMatch(pr -> pr.owner.equalsIgnoreCase(owner) && pr.repo.equalsIgnoreCase(repo)
                && (pr.pushes.containsKey(headSha) || pr.baseSha.equals(headSha)))) {
            throw refuse(422, "No commit found for SHA: " + headSha, doc, null, call, "check run on unknown commit " + headSha);
        }
        String status = optional(body, "status", doc, call);
        String conclusion = optional(body, "conclusion", doc, call);
        checkStatus(status, conclusion, doc, call, true);
        Instant startedAt = instant(body, "started_at", doc, call);
        Instant completedAt = instant(body, "completed_at", doc, call);
        Output output = output(body, true, doc, call);
        Run run = new Run();
        run.id = nextId++;
        run.owner = owner;
        run.repo = repo;
        run.name = name;
        run.headSha = headSha;
        run.externalId = optional(body, "external_id", doc, call);
        run.detailsUrl = optional(body, "details_url", doc, call);
        run.status = conclusion != null ? "completed" : status == null ? "queued" : status;
        run.conclusion = conclusion;
        run.startedAt = startedAt == null ? now.truncatedTo(ChronoUnit.SECONDS) : startedAt;
        run.completedAt = "completed".equals(run.status) ? (completedAt == null ? now.truncatedTo(ChronoUnit.SECONDS) : completedAt) : null;
        apply(run, output);
        runs.put(run.id, run);
        return json(201, runJson(run));
    }

    private Answer updateRun(Run run, Map<String, Object> body, Instant now, String call) {
        String doc = DOCS_UPDATE_RUN;
        String name = optional(body, "name", doc, call);
        String status = optional(body, "status", doc, call);
        String conclusion = optional(body, "conclusion", doc, call);
        checkStatus(status, conclusion, doc, call, false);
        Instant startedAt = instant(body, "started_at", doc, call);
        Instant completedAt = instant(body, "completed_at", doc, call);
        String externalId = optional(body, "external_id", doc, call);
        String detailsUrl = optional(body, "details_url", doc, call);
        Output output = output(body, false, doc, call);
        if (name != null) {
            run.name = name;
        }
        if (externalId != null) {
            run.externalId = externalId;
        }
        if (detailsUrl != null) {
            run.detailsUrl = detailsUrl;
        }
        if (startedAt != null) {
            run.startedAt = startedAt;
        }
        if (conclusion != null) {
            run.conclusion = conclusion;
            run.status = "completed";
        } else if (status != null) {
            run.status = status;
        }
        if ("completed".equals(run.status)) {
            run.completedAt = completedAt != null ? completedAt : run.completedAt != null ? run.completedAt : now.truncatedTo(ChronoUnit.SECONDS);
        }
        apply(run, output);
        run.updates++;
        return json(200, runJson(run));
    }

    private void checkStatus(String status, String conclusion, String doc, String call, boolean create) {
        if (status != null && !RUN_STATUSES.contains(status)) {
            throw refuse(422, "Invalid request.\n\nFor 'properties/status', \"" + status + "\" is not a member of [\"queued\", \"in_progress\","
                    + " \"completed\"].", doc, null, call, "check run status " + status);
        }
        if (conclusion != null && !CONCLUSIONS.contains(conclusion)) {
            throw refuse(422, "Invalid request.\n\nFor 'properties/conclusion', \"" + conclusion + "\" is not a valid conclusion.", doc, null,
                    call, "check run conclusion " + conclusion);
        }
        if ("completed".equals(status) && conclusion == null && create) {
            throw refuse(422, "Invalid request.\n\n\"conclusion\" wasn't supplied.", doc, null, call,
                    "check run completed without a conclusion");
        }
    }

    /** The {@code output} object, checked whole before anything is changed. */
    private Output output(Map<String, Object> body, boolean create, String doc, String call) {
        if (!body.containsKey("output") || body.get("output") == null) {
            return new Output(false, null, null, null, List.of());
        }
        if (!(body.get("output") instanceof Map<?, ?> raw)) {
            throw refuse(422, "Invalid request.\n\nFor 'properties/output', " + body.get("output") + " is not an object.", doc, null, call,
                    "output is not an object");
        }
        Map<String, Object> output = cast(raw);
        String title = create ? required(output, "title", doc, call) : optional(output, "title", doc, call);
        String summary = required(output, "summary", doc, call);
        String text = optional(output, "text", doc, call);
        for (String part : new String[] {"summary", "text"}) {
            String value = part.equals("summary") ? summary : text;
            int length = value == null ? 0 : value.codePointCount(0, value.length());
            if (length > MAX_OUTPUT_CHARS) {
                throw refuse(422, "Invalid request.\n\nOnly " + MAX_OUTPUT_CHARS + " characters are allowed; " + length + " were supplied.",
                        doc, null, call, "output." + part + " of " + length + " characters (GitHub's maximum is " + MAX_OUTPUT_CHARS + ")");
            }
        }
        List<Annotation> annotations = new ArrayList<>();
        Object given = output.get("annotations");
        if (given != null) {
            if (!(given instanceof List<?> list)) {
                throw refuse(422, "Invalid request.\n\nFor 'properties/annotations', " + given + " is not an array.", doc, null, call,
                        "annotations is not an array");
            }
            if (list.size() > MAX_ANNOTATIONS) {
                throw refuse(422, "Invalid request.\n\nNo more than " + MAX_ANNOTATIONS + " items are allowed; " + list.size()
                        + " were supplied.", doc, null, call, list.size() + " annotations in one request (GitHub's maximum is " + MAX_ANNOTATIONS + ")");
            }
            for (Object item : list) {
                if (!(item instanceof Map<?, ?> one)) {
                    throw refuse(422, "Invalid request.\n\nFor 'items', " + item + " is not an object.", doc, null, call,
                            "an annotation is not an object");
                }
                annotations.add(annotation(cast(one), doc, call));
            }
        }
        return new Output(true, title, summary, text, annotations);
    }

    private Annotation annotation(Map<String, Object> a, String doc, String call) {
        String path = required(a, "path", doc, call);
        int start = whole(a, "start_line", true, doc, call);
        int end = whole(a, "end_line", true, doc, call);
        String level = required(a, "annotation_level", doc, call);
        String message = required(a, "message", doc, call);
        String title = optional(a, "title", doc, call);
        String details = optional(a, "raw_details", doc, call);
        if (!LEVELS.contains(level)) {
            throw refuse(422, "Invalid request.\n\nFor 'properties/annotation_level', \"" + level + "\" is not a member of [\"notice\","
                    + " \"warning\", \"failure\"].", doc, null, call, "annotation_level " + level);
        }
        if (start < 1 || end < start) {
            throw refuse(422, "Invalid request.\n\nstart_line " + start + " and end_line " + end + " are not a range of lines.", doc, null,
                    call, "annotation lines " + start + ".." + end + " on " + path);
        }
        if (title != null && title.codePointCount(0, title.length()) > MAX_ANNOTATION_TITLE) {
            throw refuse(422, "Invalid request.\n\nAn annotation title is at most " + MAX_ANNOTATION_TITLE + " characters.", doc, null, call,
                    "annotation title over " + MAX_ANNOTATION_TITLE + " characters");
        }
        for (String big : new String[] {message, details}) {
            if (big != null && big.getBytes(StandardCharsets.UTF_8).length > MAX_ANNOTATION_BYTES) {
                throw refuse(422, "Invalid request.\n\nAn annotation message or raw_details is at most 64 KB.", doc, null, call,
                        "annotation message or raw_details over 64 KB");
            }
        }
        if ((a.get("start_column") != null || a.get("end_column") != null) && start != end) {
            violation(call, "annotation columns on " + path + " " + start + ".." + end + ": GitHub takes columns only when start_line"
                    + " equals end_line");
        }
        return new Annotation(path, start, end, level, message, title);
    }

    private static void apply(Run run, Output output) {
        if (!output.present()) {
            return;
        }
        if (output.title() != null) {
            run.title = output.title();
        }
        run.summary = output.summary();
        run.text = output.text();
        run.annotations.addAll(output.annotations());
    }

    // ---- Reviews and review comments ----

    private Answer createReview(PullRequest pr, Map<String, Object> body, Instant now, String call) {
        String doc = DOCS_REVIEW;
        String commitId = optional(body, "commit_id", doc, call);
        String sha = commitId == null ? pr.headSha : commitId;
        List<File> files = pr.pushes.get(sha);
        if (files == null) {
            throw refuse(422, "Unprocessable Entity", doc, List.of("Commit could not be resolved"), call, "review on commit " + sha
                    + ", not a head of the pull request");
        }
        String event = optional(body, "event", doc, call);
        String text = optional(body, "body", doc, call);
        if (event != null && !Set.of("APPROVE", "REQUEST_CHANGES", "COMMENT").contains(event)) {
            throw refuse(422, "Unprocessable Entity", doc, List.of("Event \"" + event + "\" is not one of APPROVE, REQUEST_CHANGES, COMMENT"),
                    call, "review event " + event);
        }
        Object given = body.get("comments");
        if (given != null && !(given instanceof List<?>)) {
            throw refuse(422, "Invalid request.\n\nFor 'properties/comments', " + given + " is not an array.", doc, null, call,
                    "review comments is not an array");
        }
        List<?> asked = given == null ? List.of() : (List<?>) given;
        if (("REQUEST_CHANGES".equals(event) || "COMMENT".equals(event)) && (text == null || text.isBlank()) && asked.isEmpty()) {
            throw refuse(422, "Unprocessable Entity", doc, List.of("Body is required for " + event), call, "review " + event + " without a body");
        }
        List<Comment> made = new ArrayList<>();
        for (int i = 0; i < asked.size(); i++) {
            if (!(asked.get(i) instanceof Map<?, ?> raw)) {
                throw refuse(422, "Invalid request.\n\nFor 'items', " + asked.get(i) + " is not an object.", doc, null, call,
                        "review comment " + i + " is not an object");
            }
            made.add(reviewComment(files, sha, cast(raw), i, now, doc, call));
        }
        long reviewId = nextId++;
        List<Long> ids = new ArrayList<>();
        String key = pullKey(pr.owner, pr.repo, pr.number);
        for (Comment c : made) {
            long id = nextId++;
            Comment stored = new Comment(id, reviewId, c.path(), c.line(), c.side(), c.originalLine(), c.body(), BOT_LOGIN, "Bot", sha, now, now);
            comments.put(id, stored);
            commentPull.put(id, key);
            ids.add(id);
        }
        String state = event == null ? "PENDING" : switch (event) {
            case "APPROVE" -> "APPROVED";
            case "REQUEST_CHANGES" -> "CHANGES_REQUESTED";
            default -> "COMMENTED";
        };
        Review review = new Review(reviewId, BOT_LOGIN, state, text == null ? "" : text, sha, List.copyOf(ids),
                event == null ? null : now.truncatedTo(ChronoUnit.SECONDS));
        reviews.computeIfAbsent(key, k -> new ArrayList<>()).add(review);
        return json(200, reviewJson(pr, review));
    }

    /**
     * "Create a review comment for a pull request": {@code commit_id}, {@code path} and {@code body}
     * required; {@code subject_type} {@code line} (the default: a line of the file's diff, as in a
     * review) or {@code file} (on the file as a whole, no line). GitHub puts it in a single-comment
     * review of its own.
     */
    private Answer createComment(PullRequest pr, Map<String, Object> body, Instant now, String call) {
        String doc = DOCS_COMMENTS + "#create-a-review-comment-for-a-pull-request";
        if (body.containsKey("in_reply_to")) {
            return notFaked(call);
        }
        String sha = required(body, "commit_id", doc, call);
        List<File> files = pr.pushes.get(sha);
        if (files == null) {
            throw refuse(422, "Unprocessable Entity", doc, List.of("Commit could not be resolved"), call, "comment on commit " + sha
                    + ", not a head of the pull request");
        }
        String subject = optional(body, "subject_type", doc, call);
        Comment made;
        if ("file".equals(subject)) {
            String path = required(body, "path", doc, call);
            String text = required(body, "body", doc, call);
            if (files.stream().noneMatch(f -> f.filename().equals(path))) {
                throw refuse(422, "Unprocessable Entity", doc, List.of("Path could not be resolved"), call,
                        "file comment on " + path + ", not a file of the pull request");
            }
            made = new Comment(0, 0, path, null, null, null, text, BOT_LOGIN, "Bot", sha, now, now);
        } else if (subject == null || subject.equals("line")) {
            made = reviewComment(files, sha, body, 0, now, doc, call);
        } else {
            throw refuse(422, "Invalid request.\n\n" + subject + " is not a member of [\"line\", \"file\"].", doc, null, call,
                    "subject_type " + subject);
        }
        long reviewId = nextId++;
        long id = nextId++;
        Comment stored = new Comment(id, reviewId, made.path(), made.line(), made.side(), made.originalLine(), made.body(), BOT_LOGIN, "Bot",
                sha, now, now);
        String key = pullKey(pr.owner, pr.repo, pr.number);
        comments.put(id, stored);
        commentPull.put(id, key);
        reviews.computeIfAbsent(key, k -> new ArrayList<>())
                .add(new Review(reviewId, BOT_LOGIN, "COMMENTED", "", sha, List.of(id), now.truncatedTo(ChronoUnit.SECONDS)));
        return json(201, commentJson(pr, stored));
    }

    /** A comment of a new review, its line resolved in the file's diff on its side (or by the deprecated position). */
    private Comment reviewComment(List<File> files, String sha, Map<String, Object> c, int index, Instant now, String doc, String call) {
        String path = required(c, "path", doc, call);
        String body = required(c, "body", doc, call);
        String side = optional(c, "side", doc, call);
        side = side == null ? "RIGHT" : side;
        if (!side.equals("RIGHT") && !side.equals("LEFT")) {
            throw refuse(422, "Unprocessable Entity", doc, List.of("Side must be LEFT or RIGHT"), call, "comment " + index + " side " + side);
        }
        Diff diff = diff(files, path);
        if (files.stream().noneMatch(f -> f.filename().equals(path))) {
            throw refuse(422, "Unprocessable Entity", doc, List.of("Path could not be resolved"), call,
                    "review comment " + index + " on " + path + ", not a file of the pull request");
        }
        Integer line = c.containsKey("line") ? whole(c, "line", false, doc, call) : null;
        if (line == null && c.get("position") != null) {
            int position = whole(c, "position", false, doc, call);
            int[] at = diff == null ? null : diff.positions.get(position);
            if (at == null) {
                throw refuse(422, "Unprocessable Entity", doc, List.of("Position could not be resolved"), call,
                        "review comment " + index + " on " + path + " position " + position + ", not in the diff");
            }
            side = at[0] == 1 ? "RIGHT" : "LEFT";
            line = at[1];
        }
        if (line == null || diff == null || !diff.has(side, line)) {
            throw refuse(422, "Unprocessable Entity", doc, List.of("Line could not be resolved"), call,
                    "review comment " + index + " on " + path + " line " + line + " " + side + ": not a line of the file's diff"
                            + (diff == null ? " (the file has no patch)" : ""));
        }
        if (c.get("start_line") != null) {
            int start = whole(c, "start_line", false, doc, call);
            String startSide = optional(c, "start_side", doc, call);
            startSide = startSide == null ? side : startSide;
            if (!diff.has(startSide, start) || (startSide.equals(side) && start >= line)) {
                throw refuse(422, "Unprocessable Entity", doc, List.of("Start line could not be resolved"), call,
                        "review comment " + index + " on " + path + " start_line " + start + " " + startSide);
            }
            if (diff.hunk(startSide, start) != diff.hunk(side, line)) {
                throw refuse(422, "Unprocessable Entity", doc, List.of("Pull request review thread start line must be part of the same hunk as"
                        + " the line."), call, "review comment " + index + " on " + path + " spans two hunks");
            }
        }
        return new Comment(0, 0, path, line, side, line, body, BOT_LOGIN, "Bot", sha, now, now);
    }

    private Answer comment(String method, String owner, String repo, long id, byte[] body, Instant now, String call) {
        Comment c = comments.get(id);
        String pull = commentPull.get(id);
        if (c == null || !pull.startsWith(owner.toLowerCase(Locale.ROOT) + "/" + repo.toLowerCase(Locale.ROOT) + "#")) {
            violation(call, "no review comment " + id + " in " + owner + "/" + repo);
            return notFound(DOCS_COMMENTS);
        }
        PullRequest pr = pulls.get(pull);
        if (method.equals("GET")) {
            return json(200, commentJson(pr, c));
        }
        if (!"Bot".equals(c.userType())) {
            violation(call, method + " of a comment by " + c.login() + ", not by the app");
        }
        if (method.equals("DELETE")) {
            comments.remove(id);
            commentPull.remove(id);
            return new Answer(204, null, null, new LinkedHashMap<>());
        }
        String text = required(object(body, call), "body", DOCS_COMMENTS + "#update-a-review-comment-for-a-pull-request", call);
        Comment edited = new Comment(c.id(), c.reviewId(), c.path(), c.line(), c.side(), c.originalLine(), text, c.login(), c.userType(),
                c.commitId(), c.createdAt(), now.truncatedTo(ChronoUnit.SECONDS));
        comments.put(id, edited);
        return json(200, commentJson(pr, edited));
    }

    // ---- Request bodies ----

    private Map<String, Object> object(byte[] body, String call) {
        try {
            return JsonValues.readObject(body);
        } catch (IOException e) {
            throw refuse(400, "Problems parsing JSON", DOCS, null, call, "body is not a JSON object: " + e.getMessage());
        }
    }

    private String required(Map<String, Object> object, String name, String doc, String call) {
        String value = optional(object, name, doc, call);
        if (value == null) {
            throw refuse(422, "Invalid request.\n\n\"" + name + "\" wasn't supplied.", doc, null, call, "\"" + name + "\" missing");
        }
        return value;
    }

    private String optional(Map<String, Object> object, String name, String doc, String call) {
        Object value = object.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw refuse(422, "Invalid request.\n\nFor 'properties/" + name + "', " + value + " is not a string.", doc, null, call,
                "\"" + name + "\" is not a string");
    }

    private Integer whole(Map<String, Object> object, String name, boolean required, String doc, String call) {
        Object value = object.get(name);
        if (value == null && required) {
            throw refuse(422, "Invalid request.\n\n\"" + name + "\" wasn't supplied.", doc, null, call, "\"" + name + "\" missing");
        }
        if (value == null) {
            return null;
        }
        if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() <= Integer.MAX_VALUE) {
            return ((Number) value).intValue();
        }
        throw refuse(422, "Invalid request.\n\nFor 'properties/" + name + "', " + value + " is not an integer.", doc, null, call,
                "\"" + name + "\" is not an integer");
    }

    private Instant instant(Map<String, Object> object, String name, String doc, String call) {
        try {
            return JsonValues.instant(object, name);
        } catch (IOException e) {
            throw refuse(422, "Invalid request.\n\nFor 'properties/" + name + "', " + object.get(name) + " is not a timestamp.", doc, null,
                    call, "\"" + name + "\" is not an ISO 8601 timestamp");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    // ---- Answers ----

    private Refusal refuse(int status, String message, String doc, List<Object> errors, String call, String violation) {
        violation(call, violation + " -> " + status);
        return new Refusal(error(status, message, doc, errors));
    }

    private void violation(String call, String what) {
        violations.add(call + ": " + what);
    }

    private Answer notFaked(String call) {
        violation(call, "not an endpoint this fake has (GitHub may have it)");
        return notFound(DOCS);
    }

    private static Answer notFound(String doc) {
        return error(404, "Not Found", doc, null);
    }

    private static Answer error(int status, String message, String doc, List<Object> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        if (errors != null) {
            body.put("errors", errors);
        }
        body.put("documentation_url", doc);
        body.put("status", Integer.toString(status));
        return json(status, body);
    }

    private static Answer json(int status, Object body) {
        return new Answer(status, "application/json; charset=utf-8", JsonValues.write(body, false), new LinkedHashMap<>());
    }

    private Map<String, Object> appJson() {
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("id", APP_ID);
        app.put("slug", APP_SLUG);
        app.put("client_id", CLIENT_ID);
        app.put("name", "CCP Policy");
        app.put("html_url", web() + "/apps/" + APP_SLUG);
        app.put("permissions", new java.util.TreeMap<>(TOKEN_PERMISSIONS));
        app.put("events", List.of("check_run", "pull_request"));
        return app;
    }

    private Map<String, Object> installationJson(Installation installation) {
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("login", installation.login());
        account.put("id", installation.accountId());
        account.put("type", "Organization");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", installation.id());
        json.put("account", account);
        json.put("repository_selection", "all");
        json.put("access_tokens_url", api() + "/app/installations/" + installation.id() + "/access_tokens");
        json.put("app_id", APP_ID);
        json.put("app_slug", APP_SLUG);
        json.put("target_id", installation.accountId());
        json.put("target_type", "Organization");
        json.put("permissions", new java.util.TreeMap<>(TOKEN_PERMISSIONS));
        json.put("events", List.of("check_run", "pull_request"));
        json.put("suspended_at", null);
        return json;
    }

    private static Map<String, Object> user(String login, String type) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("login", login);
        user.put("id", Math.abs((long) login.hashCode()));
        user.put("type", type);
        return user;
    }

    private Map<String, Object> pullJson(PullRequest pr) {
        String repoUrl = api() + "/repos/" + pr.owner + "/" + pr.repo;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("url", repoUrl + "/pulls/" + pr.number);
        json.put("id", pr.id);
        json.put("html_url", web() + "/" + pr.owner + "/" + pr.repo + "/pull/" + pr.number);
        json.put("number", pr.number);
        json.put("state", "open");
        json.put("locked", false);
        json.put("title", "Pull request " + pr.number);
        json.put("user", user(pr.author, "User"));
        json.put("draft", pr.draft);
        json.put("head", ref(pr, "pr-" + pr.number, pr.headSha));
        json.put("base", ref(pr, "main", pr.baseSha));
        json.put("merged", false);
        json.put("commits", pr.pushes.size());
        json.put("additions", pr.files().stream().mapToInt(File::additions).sum());
        json.put("deletions", pr.files().stream().mapToInt(File::deletions).sum());
        json.put("changed_files", pr.files().size());
        return json;
    }

    private static Map<String, Object> ref(PullRequest pr, String ref, String sha) {
        Map<String, Object> repo = new LinkedHashMap<>();
        repo.put("name", pr.repo);
        repo.put("full_name", pr.owner + "/" + pr.repo);
        repo.put("owner", user(pr.owner, "Organization"));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("label", pr.owner + ":" + ref);
        json.put("ref", ref);
        json.put("sha", sha);
        json.put("repo", repo);
        return json;
    }

    private Map<String, Object> fileJson(PullRequest pr, File file) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("sha", sha(file.filename() + "\0" + file.patch()));
        json.put("filename", file.filename());
        json.put("status", file.status());
        json.put("additions", file.additions());
        json.put("deletions", file.deletions());
        json.put("changes", file.changes());
        json.put("blob_url", web() + "/" + pr.owner + "/" + pr.repo + "/blob/" + pr.headSha + "/" + file.filename());
        json.put("raw_url", web() + "/" + pr.owner + "/" + pr.repo + "/raw/" + pr.headSha + "/" + file.filename());
        if (file.patch() != null) {
            json.put("patch", file.patch());
        }
        return json;
    }

    private Map<String, Object> runJson(Run run) {
        String url = api() + "/repos/" + run.owner + "/" + run.repo + "/check-runs/" + run.id;
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("title", run.title);
        output.put("summary", run.summary);
        output.put("text", run.text);
        output.put("annotations_count", run.annotations.size());
        output.put("annotations_url", url + "/annotations");
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("id", APP_ID);
        app.put("slug", APP_SLUG);
        List<Object> prs = new ArrayList<>();
        for (PullRequest pr : pulls.values()) {
            if (pr.owner.equalsIgnoreCase(run.owner) && pr.repo.equalsIgnoreCase(run.repo) && run.headSha.equals(pr.headSha)) {
                prs.add(Map.of("number", pr.number, "head", Map.of("ref", "pr-" + pr.number, "sha", pr.headSha),
                        "base", Map.of("ref", "main", "sha", pr.baseSha)));
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", run.id);
        json.put("head_sha", run.headSha);
        json.put("external_id", run.externalId == null ? "" : run.externalId);
        json.put("url", url);
        json.put("html_url", web() + "/" + run.owner + "/" + run.repo + "/runs/" + run.id);
        json.put("details_url", run.detailsUrl);
        json.put("status", run.status);
        json.put("conclusion", run.conclusion);
        json.put("started_at", run.startedAt == null ? null : iso(run.startedAt));
        json.put("completed_at", run.completedAt == null ? null : iso(run.completedAt));
        json.put("output", output);
        json.put("name", run.name);
        json.put("app", app);
        json.put("pull_requests", prs);
        return json;
    }

    private Map<String, Object> reviewJson(PullRequest pr, Review review) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", review.id());
        json.put("user", user(review.login(), review.login().endsWith("[bot]") ? "Bot" : "User"));
        json.put("body", review.body());
        json.put("state", review.state());
        json.put("html_url", web() + "/" + pr.owner + "/" + pr.repo + "/pull/" + pr.number + "#pullrequestreview-" + review.id());
        json.put("pull_request_url", api() + "/repos/" + pr.owner + "/" + pr.repo + "/pulls/" + pr.number);
        json.put("author_association", "NONE");
        if (review.submittedAt() != null) {
            json.put("submitted_at", iso(review.submittedAt()));
        }
        json.put("commit_id", review.commitId());
        return json;
    }

    private Map<String, Object> commentJson(PullRequest pr, Comment c) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("url", api() + "/repos/" + pr.owner + "/" + pr.repo + "/pulls/comments/" + c.id());
        json.put("pull_request_review_id", c.reviewId());
        json.put("id", c.id());
        Diff diff = diff(pr.pushes.getOrDefault(c.commitId(), List.of()), c.path());
        json.put("diff_hunk", diff == null || c.originalLine() == null ? "" : diff.hunkText(c.side(), c.originalLine()));
        json.put("path", c.path());
        json.put("commit_id", c.line() == null ? c.commitId() : pr.headSha);
        json.put("original_commit_id", c.commitId());
        json.put("user", user(c.login(), c.userType()));
        json.put("body", c.body());
        json.put("created_at", iso(c.createdAt()));
        json.put("updated_at", iso(c.updatedAt()));
        json.put("html_url", web() + "/" + pr.owner + "/" + pr.repo + "/pull/" + pr.number + "#discussion_r" + c.id());
        json.put("pull_request_url", api() + "/repos/" + pr.owner + "/" + pr.repo + "/pulls/" + pr.number);
        json.put("author_association", "NONE");
        json.put("line", c.line());
        json.put("original_line", c.originalLine());
        json.put("side", c.side());
        json.put("subject_type", c.originalLine() == null ? "file" : "line");
        return json;
    }

    // ---- Diffs ----

    private static Diff diff(List<File> files, String path) {
        for (File file : files) {
            if (file.filename().equals(path)) {
                return file.patch() == null ? null : Diff.of(file.patch());
            }
        }
        return null;
    }

    /**
     * A file's patch read as GitHub reads it for review comments: the lines of the new file (RIGHT:
     * added and context lines) and of the old (LEFT: removed and context lines) that the diff shows,
     * each in its hunk; and the deprecated positions (lines below the first {@code @@} header).
     */
    private static final class Diff {
        final Map<Integer, Integer> right = new HashMap<>();
        final Map<Integer, Integer> left = new HashMap<>();
        final Map<String, Integer> rawIndex = new HashMap<>();
        final List<Integer> hunkStarts = new ArrayList<>();
        final Map<Integer, int[]> positions = new HashMap<>();
        final String[] raw;
        int additions;
        int deletions;

        private Diff(String patch) {
            raw = patch.split("\n", -1);
            int oldLine = 0;
            int newLine = 0;
            int hunk = -1;
            for (int i = 0; i < raw.length; i++) {
                String text = raw[i];
                Matcher header = HUNK.matcher(text);
                if (header.matches()) {
                    oldLine = Integer.parseInt(header.group(1));
                    newLine = Integer.parseInt(header.group(2));
                    hunk++;
                    hunkStarts.add(i);
                    continue;
                }
                if (hunk < 0 || (text.isEmpty() && i == raw.length - 1)) {
                    continue;
                }
                int position = i - hunkStarts.get(0);
                if (text.startsWith("+")) {
                    additions++;
                    right.put(newLine, hunk);
                    rawIndex.put("RIGHT:" + newLine, i);
                    positions.put(position, new int[] {1, newLine});
                    newLine++;
                } else if (text.startsWith("-")) {
                    deletions++;
                    left.put(oldLine, hunk);
                    rawIndex.put("LEFT:" + oldLine, i);
                    positions.put(position, new int[] {0, oldLine});
                    oldLine++;
                } else if (!text.startsWith("\\")) {
                    right.put(newLine, hunk);
                    left.put(oldLine, hunk);
                    rawIndex.put("RIGHT:" + newLine, i);
                    rawIndex.put("LEFT:" + oldLine, i);
                    positions.put(position, new int[] {1, newLine});
                    oldLine++;
                    newLine++;
                }
            }
        }

        static Diff of(String patch) {
            return new Diff(patch);
        }

        boolean has(String side, int line) {
            return ("LEFT".equals(side) ? left : right).containsKey(line);
        }

        int hunk(String side, int line) {
            return ("LEFT".equals(side) ? left : right).getOrDefault(line, -1);
        }

        String hunkText(String side, int line) {
            Integer end = rawIndex.get(side + ":" + line);
            if (end == null) {
                return "";
            }
            int start = hunkStarts.get(hunk(side, line));
            return String.join("\n", java.util.Arrays.asList(raw).subList(start, end + 1));
        }
    }

    // ---- Keys and ids ----

    private static String pullKey(String owner, String repo, int number) {
        return owner.toLowerCase(Locale.ROOT) + "/" + repo.toLowerCase(Locale.ROOT) + "#" + number;
    }

    private static String iso(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String random(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return out.toString();
    }

    private static String sha(String of) {
        try {
            return String.format("%040x", new BigInteger(1, MessageDigest.getInstance("SHA-1").digest(of.getBytes(StandardCharsets.UTF_8))));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The app's key pair, from {@value #PRIVATE_KEY_RESOURCE}: the public half checks the server's JWTs. */
    private static final class AppKey {
        static final String PEM;
        static final RSAPublicKey PUBLIC;

        static {
            try (InputStream in = FakeGitHub.class.getClassLoader().getResourceAsStream(PRIVATE_KEY_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(PRIVATE_KEY_RESOURCE + " is not on the class path");
                }
                PEM = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                String base64 = PEM.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
                KeyFactory rsa = KeyFactory.getInstance("RSA");
                RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
                PUBLIC = (RSAPublicKey) rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
