package dev.ccp.server.identity.control;

import dev.ccp.spi.wire.JsonValues;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Sign-in with a GitHub OAuth app (the web application flow): the person is sent to GitHub's
 * authorize page with {@code state} and a PKCE challenge ({@code S256}), comes back with a code,
 * which is exchanged for a token; the token reads their handle ({@code GET /user}) and their
 * primary email, used only when GitHub says it is verified ({@code GET /user/emails}).
 */
public final class GitHubSignIn {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final String clientId;
    private final String clientSecret;
    private final String web;
    private final String api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();

    /**
     * @param web GitHub's site, {@code https://github.com} (a local fake in tests)
     * @param api GitHub's REST API, {@code https://api.github.com}
     */
    public GitHubSignIn(String clientId, String clientSecret, String web, String api) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.web = web.replaceFirst("/+$", "");
        this.api = api.replaceFirst("/+$", "");
    }

    /** GitHub's site as a CSP source, such as {@code https://github.com}. */
    public String origin() {
        URI site = URI.create(web);
        return site.getScheme() + "://" + site.getRawAuthority();
    }

    /** Where to send the person: GitHub's authorize page for this app, coming back to {@code callback}. */
    public URI authorize(String state, String challenge, String callback) {
        return URI.create(web + "/login/oauth/authorize?client_id=" + encode(clientId) + "&redirect_uri=" + encode(callback)
                + "&scope=" + encode("read:user user:email") + "&state=" + encode(state) + "&code_challenge=" + encode(challenge)
                + "&code_challenge_method=S256&allow_signup=false");
    }

    /** Who the person is, from the code GitHub sent them back with. */
    public Identity identify(String code, String verifier, String callback) throws SignInRefused {
        String token = token(code, verifier, callback);
        Map<String, Object> user = object(get("/user", token), "GET /user");
        if (!(user.get("login") instanceof String login)) {
            throw new SignInRefused("GitHub did not say which account signed in; try again.");
        }
        String email = null;
        for (Object entry : list(get("/user/emails", token))) {
            if (entry instanceof Map<?, ?> e && Boolean.TRUE.equals(e.get("primary")) && Boolean.TRUE.equals(e.get("verified"))
                    && e.get("email") instanceof String address) {
                email = address;
            }
        }
        return Identity.of(email, login).orElseThrow(() -> new SignInRefused("GitHub named an account (" + login + ") this server cannot use."));
    }

    private String token(String code, String verifier, String callback) throws SignInRefused {
        String form = "client_id=" + encode(clientId) + "&client_secret=" + encode(clientSecret) + "&code=" + encode(code)
                + "&redirect_uri=" + encode(callback) + "&code_verifier=" + encode(verifier);
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(web + "/login/oauth/access_token")).timeout(TIMEOUT)
                .header("Accept", "application/json").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        // GitHub answers a refused exchange with 200 and an error in the body.
        Map<String, Object> body = object(answer, "the code exchange");
        if (body.get("error") instanceof String error) {
            throw new SignInRefused(switch (error) {
                case "bad_verification_code" -> "GitHub's sign-in code was used already or expired; start again.";
                case "incorrect_client_credentials", "redirect_uri_mismatch" ->
                        "This server's GitHub app is not set up right (" + error + "); tell its operator.";
                default -> "GitHub refused the sign-in (" + error + "); start again.";
            });
        }
        if (!(body.get("access_token") instanceof String token) || token.isBlank()) {
            throw new SignInRefused("GitHub's answer held no token; start again.");
        }
        return token;
    }

    private HttpResponse<String> get(String path, String token) throws SignInRefused {
        return send(HttpRequest.newBuilder(URI.create(api + path)).timeout(TIMEOUT)
                .header("Accept", "application/vnd.github+json").header("X-GitHub-Api-Version", "2022-11-28")
                .header("Authorization", "Bearer " + token).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) throws SignInRefused {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SignInRefused("GitHub could not be reached; try again in a minute.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignInRefused("The sign-in was interrupted; try again.");
        }
    }

    private static Map<String, Object> object(HttpResponse<String> answer, String what) throws SignInRefused {
        if (answer.statusCode() != 200) {
            throw new SignInRefused("GitHub answered " + answer.statusCode() + " to " + what + "; try again in a minute.");
        }
        try {
            return JsonValues.readObject(answer.body().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SignInRefused("GitHub's answer to " + what + " did not read; try again.");
        }
    }

    private static List<?> list(HttpResponse<String> answer) throws SignInRefused {
        if (answer.statusCode() != 200) {
            throw new SignInRefused("GitHub answered " + answer.statusCode() + " for your email addresses; try again in a minute.");
        }
        try {
            return JsonValues.read(answer.body().getBytes(StandardCharsets.UTF_8)) instanceof List<?> l ? l : List.of();
        } catch (IOException e) {
            throw new SignInRefused("GitHub's list of your email addresses did not read; try again.");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
