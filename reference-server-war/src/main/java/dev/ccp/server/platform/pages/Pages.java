package dev.ccp.server.platform.pages;

import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The headers every server-rendered page carries: no caching, no framing, no scripts, no referrer. */
public final class Pages {

    private Pages() {
    }

    public static Response.ResponseBuilder html(int status, String body) {
        CacheControl cache = new CacheControl();
        cache.setNoStore(true);
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).cacheControl(cache)
                .header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
                        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
                .header("Referrer-Policy", "no-referrer")
                .entity(body);
    }
}
