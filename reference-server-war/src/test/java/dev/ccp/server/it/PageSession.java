package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A person signed in to the server's pages over HTTP, as a browser without JavaScript: the session cookie and the forms' token. */
final class PageSession {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final Http http;
    final String cookie;

    PageSession(Http http, String cookie) {
        this.http = http;
        this.cookie = cookie;
    }

    static PageSession signIn(Http http, String login, String org) {
        return new PageSession(http, UsageIT.signIn(http, login, org));
    }

    HttpResponse<String> get(String path) {
        return http.send(HttpRequest.newBuilder(http.uri(path)).header("Cookie", cookie).GET());
    }

    /** Loads {@code page} and posts one of its forms to {@code action} with the page's token and {@code fields}. */
    HttpResponse<String> post(String page, String action, String... fields) {
        HttpResponse<String> shown = get(page);
        assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
        Matcher csrf = CSRF_FIELD.matcher(shown.body());
        assertThat(csrf.find()).as("a form on " + page).isTrue();
        return postWithToken(action, csrf.group(1), fields);
    }

    HttpResponse<String> postWithToken(String action, String token, String... fields) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("csrf", token);
        form.putAll(Http.fields(fields));
        return http.send(HttpRequest.newBuilder(http.uri(action)).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(Http.encode(form))));
    }
}
