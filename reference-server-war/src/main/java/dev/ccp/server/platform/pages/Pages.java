package dev.ccp.server.platform.pages;

import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.Map;

/** The headers every server-rendered page carries: no caching, no framing, no scripts, no referrer. */
public final class Pages {

    private Pages() {
    }

    public static Response.ResponseBuilder html(int status, String body) {
        return html(status, body, java.util.List.of());
    }

    /**
     * A page whose forms may also lead to {@code formTargets} (origins such as an identity
     * provider's): browsers apply {@code form-action} to the redirect a form's post answers with too.
     */
    public static Response.ResponseBuilder html(int status, String body, java.util.List<String> formTargets) {
        CacheControl cache = new CacheControl();
        cache.setNoStore(true);
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).cacheControl(cache)
                .header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
                        + "form-action 'self'" + formTargets.stream().map(t -> " " + t).collect(java.util.stream.Collectors.joining())
                        + "; frame-ancestors 'none'; base-uri 'none'")
                .header("Referrer-Policy", "no-referrer")
                .entity(body);
    }

    /**
     * A posted form's fields, each with its first value (null for a field sent without one). A post
     * without a body, or without a form {@code Content-Type}, has no fields.
     */
    public static Map<String, String> fields(MultivaluedMap<String, String> form) {
        Map<String, String> fields = new HashMap<>();
        if (form != null) {
            form.forEach((k, v) -> fields.put(k, v.isEmpty() ? null : v.get(0)));
        }
        return fields;
    }
}
