package dev.ccp.sdk.internal;

import java.net.URI;
import java.util.Locale;

/**
 * The one rule for a server's base URL, applied where it is configured and where it is read back from
 * stored credentials, which a person may have edited by hand.
 */
public final class ServerUrl {

    private ServerUrl() {
    }

    /**
     * @return {@code server}, when it is an absolute http(s) URL with a host and no query, fragment or user info
     * @throws IllegalArgumentException otherwise
     */
    public static URI check(URI server) {
        String scheme = server.getScheme() == null ? "" : server.getScheme().toLowerCase(Locale.ROOT);
        if (!server.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || server.getHost() == null) {
            throw new IllegalArgumentException("server must be an http(s) URL with a host: " + server);
        }
        if (server.getRawQuery() != null || server.getRawFragment() != null || server.getRawUserInfo() != null) {
            throw new IllegalArgumentException("server must not carry a query, fragment or user info: " + server);
        }
        return server;
    }

    /** {@link #check} for text; null and text that is no URI at all are refused the same way. */
    public static URI parse(String server) {
        if (server == null) {
            throw new IllegalArgumentException("no server");
        }
        URI uri;
        try {
            uri = URI.create(server);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("server is not a URL: " + e.getMessage(), e);
        }
        return check(uri);
    }
}
