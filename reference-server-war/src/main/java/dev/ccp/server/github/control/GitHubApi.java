package dev.ccp.server.github.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ccp.spi.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's REST API as the app calls it. The app proves itself with a short-lived RS256 JWT signed
 * with its private key, exchanges it for an installation's token, and keeps that token until
 * shortly before it expires (a cache, not state: any node makes its own). Answers are values: a
 * status, a body, and what GitHub said about its limits, so the caller can pause an installation
 * on a secondary limit rather than retry into it. Tokens and keys never reach a log.
 */
public final class GitHubApi {

    static final String VERSION = "2022-11-28";
    static final Duration JWT_LIFETIME = Duration.ofMinutes(9);
    static final Duration TOKEN_MARGIN = Duration.ofMinutes(5);
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();

    /**
     * One answer of GitHub's: its status (0 when GitHub could not be reached), its JSON body, the
     * {@code Link} to the next page, and how long GitHub asked the app to wait before calling again
     * (from {@code retry-after}, or {@code x-ratelimit-reset} when the primary limit is used up).
     */
    public record Answer(int status, JsonNode body, String next, Duration retryIn) {

        public boolean ok() {
            return status / 100 == 2;
        }

        /** A primary or secondary rate limit: 429, or 403 with a wait or no requests left. */
        public boolean limited() {
            return status == 429 || status == 403 && !retryIn.isZero();
        }

        public String message() {
            return status == 0 ? "GitHub could not be reached" : "GitHub answered " + status + ": " + body.path("message").asText("");
        }
    }

    private record Token(String value, Instant expires) {
    }

    private final String apiUrl;
    private final String appId;
    private final PrivateKey key;
    private final Clock clock;
    private final Map<Long, Token> tokens = new ConcurrentHashMap<>();

    /**
     * @param privateKey the app's private key as PEM (PKCS#8, or the PKCS#1 GitHub hands out), or
     *                   the path of a file that holds it; null when the app is not configured
     */
    public GitHubApi(String apiUrl, String appId, String privateKey, Clock clock) {
        this.apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        this.appId = appId;
        this.key = privateKey == null ? null : key(privateKey);
        this.clock = clock;
    }

    public boolean configured() {
        return appId != null && key != null;
    }

    /** The JWT that proves the app itself: RS256, issued a minute ago against clock drift, valid nine minutes. */
    String appJwt() {
        Instant now = clock.instant();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder().issuer(appId)
                    .issueTime(Date.from(now.minusSeconds(60))).expirationTime(Date.from(now.plus(JWT_LIFETIME))).build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("the GitHub App's key cannot sign: " + e.getMessage(), e);
        }
    }

    private volatile String botLogin;

    /** The login the app's comments carry ({@code SLUG[bot]}), from GitHub once. */
    public Optional<String> botLogin() {
        if (botLogin == null) {
            Answer app = send(request(apiUrl + "/app", appJwt()).GET());
            if (!app.ok() || !app.body().hasNonNull("slug")) {
                return Optional.empty();
            }
            botLogin = app.body().get("slug").asText() + "[bot]";
        }
        return Optional.of(botLogin);
    }

    /** An installation, as the app sees it. */
    public Answer installation(long installationId) {
        return send(request(apiUrl + "/app/installations/" + installationId, appJwt()).GET());
    }

    /**
     * A call as an installation: {@code path} under the API, {@code body} null for a read. When no
     * installation token can be had, GitHub's answer to asking for one is the answer.
     */
    public Answer call(long installationId, String method, String path, JsonNode body) {
        Token token = tokens.get(installationId);
        if (token == null || !clock.instant().isBefore(token.expires().minus(TOKEN_MARGIN))) {
            Answer issued = send(request(apiUrl + "/app/installations/" + installationId + "/access_tokens", appJwt())
                    .POST(HttpRequest.BodyPublishers.noBody()));
            if (!issued.ok() || !issued.body().hasNonNull("token")) {
                return issued.ok() ? new Answer(502, Json.lenient().createObjectNode().put("message", "GitHub gave no installation token"),
                        null, Duration.ZERO) : issued;
            }
            token = new Token(issued.body().get("token").asText(), expiry(issued.body().path("expires_at").asText()));
            tokens.put(installationId, token);
        }
        Answer answer = send(request(path.startsWith("http") ? path : apiUrl + path, token.value())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString())));
        if (answer.status() == 401) {
            tokens.remove(installationId); // revoked or expired early: the next call gets a new one
        }
        return answer;
    }

    /** Every page of a list, following {@code Link: rel="next"}; stops at the first answer that is not a success. */
    public Answer list(long installationId, String path, List<JsonNode> into) {
        String next = path + (path.contains("?") ? "&" : "?") + "per_page=100";
        Answer answer = null;
        for (int page = 0; next != null && page < 100; page++) {
            answer = call(installationId, "GET", next, null);
            if (!answer.ok()) {
                return answer;
            }
            answer.body().forEach(into::add);
            // The next page's address comes from GitHub's Link header; the token goes nowhere but the API.
            next = answer.next() != null && answer.next().startsWith(apiUrl + "/") ? answer.next() : null;
        }
        return answer;
    }

    private Instant expiry(String expiresAt) {
        try {
            return Instant.parse(expiresAt);
        } catch (RuntimeException e) {
            return clock.instant().plus(Duration.ofMinutes(30)); // GitHub's tokens last an hour
        }
    }

    private static HttpRequest.Builder request(String url, String bearer) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + bearer)
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", VERSION)
                .header("User-Agent", "ccp-policy-bot")
                .header("Content-Type", "application/json; charset=utf-8");
    }

    private Answer send(HttpRequest.Builder request) {
        HttpResponse<String> answer;
        try {
            answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Answer(0, Json.lenient().createObjectNode(), null, Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, Json.lenient().createObjectNode(), null, Duration.ZERO);
        }
        JsonNode body;
        try {
            body = answer.body().isBlank() ? Json.lenient().createObjectNode() : Json.lenient().readTree(answer.body());
        } catch (IOException e) {
            body = Json.lenient().createObjectNode();
        }
        String next = answer.headers().firstValue("Link").map(NEXT::matcher).filter(Matcher::find).map(m -> m.group(1)).orElse(null);
        return new Answer(answer.statusCode(), body, next, wait(answer));
    }

    /** How long GitHub asked to wait: retry-after, or until the reset when no requests are left. */
    private Duration wait(HttpResponse<String> answer) {
        Optional<Long> retryAfter = number(answer.headers().firstValue("retry-after"));
        if (retryAfter.isPresent()) {
            return Duration.ofSeconds(Math.max(1, Math.min(retryAfter.get(), 3600)));
        }
        if (answer.statusCode() == 403 || answer.statusCode() == 429) {
            if (number(answer.headers().firstValue("x-ratelimit-remaining")).orElse(1L) == 0) {
                long reset = number(answer.headers().firstValue("x-ratelimit-reset")).orElse(clock.instant().getEpochSecond() + 60);
                return Duration.ofSeconds(Math.max(1, Math.min(reset - clock.instant().getEpochSecond() + 1, 3600)));
            }
            if (answer.statusCode() == 429 || answer.body().contains("secondary rate limit")) {
                return Duration.ofSeconds(60); // GitHub: wait at least a minute when it gives no retry-after
            }
        }
        return Duration.ZERO;
    }

    private static Optional<Long> number(Optional<String> header) {
        try {
            return header.map(String::strip).map(Long::parseLong);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The app's key from PEM text or a file; PKCS#1 ({@code RSA PRIVATE KEY}, as GitHub downloads it) is wrapped into PKCS#8. */
    static PrivateKey key(String pemOrPath) {
        String pem = pemOrPath;
        if (!pem.contains("-----BEGIN")) {
            // Only something shaped like a path is read as one; the message never carries the value, which may be a key.
            if (pem.length() > 1024 || pem.contains("\n")) {
                throw new IllegalStateException("CCP_GITHUB_PRIVATE_KEY is neither a PEM key nor the path of a file that holds one");
            }
            try {
                pem = Files.readString(Path.of(pemOrPath.strip()));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("CCP_GITHUB_PRIVATE_KEY names a file that cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
        boolean pkcs1 = pem.contains("BEGIN RSA PRIVATE KEY");
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs1 ? pkcs8(der) : der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("CCP_GITHUB_PRIVATE_KEY is not an RSA private key");
        }
    }

    /** Wraps a PKCS#1 RSA key in the PKCS#8 structure the JDK reads. */
    private static byte[] pkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        byte[] octets = concat(new byte[] {0x04}, length(pkcs1.length), pkcs1);
        byte[] body = concat(new byte[] {0x02, 0x01, 0x00}, algorithm, octets);
        return concat(new byte[] {0x30}, length(body.length), body);
    }

    private static byte[] length(int n) {
        if (n < 128) {
            return new byte[] {(byte) n};
        }
        List<Byte> bytes = new ArrayList<>();
        for (int v = n; v > 0; v >>= 8) {
            bytes.add(0, (byte) v);
        }
        byte[] out = new byte[bytes.size() + 1];
        out[0] = (byte) (0x80 | bytes.size());
        for (int i = 0; i < bytes.size(); i++) {
            out[i + 1] = bytes.get(i);
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] p : parts) {
            size += p.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
