package dev.ccp.server.it;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A person at the server's pages as a browser would use them (keeping the CSRF cookie): the
 * verification page, where they approve or deny a code, and an invite link's page, where they join.
 */
public final class Person {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final Http http;
    private final String login;
    private final String address;

    public Person(Http http, String login) {
        this(http, login, null);
    }

    /** A person at a client address of their own (sent as X-Forwarded-For), so rate limits do not mix. */
    public Person(Http http, String login, String address) {
        this.http = http;
        this.login = login;
        this.address = address;
    }

    public HttpResponse<String> approve(String userCode) {
        return decide(userCode, "approve");
    }

    public HttpResponse<String> deny(String userCode) {
        return decide(userCode, "deny");
    }

    public HttpResponse<String> decide(String userCode, String decision) {
        HttpResponse<String> page = http.get("device?user_code=" + userCode, null);
        if (page.statusCode() != 200) {
            throw new AssertionError("the verification page answered " + page.statusCode());
        }
        Matcher field = CSRF_FIELD.matcher(page.body());
        if (!field.find()) {
            throw new AssertionError("no csrf field on the verification page");
        }
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        HttpRequest.Builder post = HttpRequest.newBuilder(http.uri("device"));
        if (address != null) {
            post.header("X-Forwarded-For", address);
        }
        return http.send(post
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString(Http.encode(Map.of(
                        "csrf", field.group(1), "user_code", userCode, "login", login, "decision", decision)))));
    }

    /**
     * Opens the verification page at {@code url} (as {@code ccp login} printed it, the code and an
     * invite filled in) and approves with what the page holds.
     */
    public HttpResponse<String> approveOnPage(String url) {
        String path = url.substring(url.indexOf("device"));
        HttpResponse<String> page = http.get(path, null);
        if (page.statusCode() != 200) {
            throw new AssertionError("the verification page answered " + page.statusCode());
        }
        Matcher field = CSRF_FIELD.matcher(page.body());
        Matcher code = Pattern.compile("name=\"user_code\" value=\"([^\"]*)\"").matcher(page.body());
        Matcher invite = Pattern.compile("name=\"invite\" value=\"([^\"]*)\"").matcher(page.body());
        if (!field.find() || !code.find() || !invite.find()) {
            throw new AssertionError("the verification page lacks its fields: " + page.body());
        }
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        return http.send(HttpRequest.newBuilder(http.uri("device"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString(Http.encode(Map.of("csrf", field.group(1), "user_code", code.group(1),
                        "login", login, "decision", "approve", "invite", unescape(invite.group(1)))))));
    }

    /** Text of an HTML attribute as the templates escape it. */
    static String unescape(String html) {
        return html.replace("&amp;", "&").replace("&#61;", "=").replace("&#x3D;", "=").replace("&#x2F;", "/").replace("&#47;", "/")
                .replace("&quot;", "\"").replace("&#39;", "'");
    }

    /** Opens an invite link and signs in on its page to join; answers the page the form led to. */
    public HttpResponse<String> acceptInvite(String url) {
        String path = url.substring(url.indexOf("invite/"));
        HttpResponse<String> page = http.get(path, null);
        if (page.statusCode() != 200) {
            return page;
        }
        Matcher field = CSRF_FIELD.matcher(page.body());
        if (!field.find()) {
            throw new AssertionError("no csrf field on the invite page");
        }
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        return http.send(HttpRequest.newBuilder(http.uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString(Http.encode(Map.of("csrf", field.group(1), "login", login)))));
    }
}
