package dev.ccp.sdk;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What to show the person during a device login (RFC 8628 §3.3).
 *
 * @param userCode the code to type, such as {@code BCDF-GHJK}
 * @param verificationUri where to type it, as the server sent it
 * @param verificationUriComplete the same page with the code filled in; null when the server has none
 * @param expiresAt when the code stops working
 * @param server the server being logged in to, whose origin decides which page may be opened
 */
public record DeviceCode(String userCode, URI verificationUri, URI verificationUriComplete, Instant expiresAt, URI server) {

    public DeviceCode {
        Objects.requireNonNull(userCode, "userCode");
        Objects.requireNonNull(verificationUri, "verificationUri");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(server, "server");
    }

    /**
     * The page to open in a browser: the complete one when it is on the server's origin, else the plain
     * one when it is. Empty when neither is an http(s) page with the server's scheme, host and port:
     * a hostile server, or tampered plain-http traffic, could send a {@code file:}, UNC or custom-scheme
     * link that the system would hand to another program. Show such a link, never open it.
     */
    public Optional<URI> browserUri() {
        return Stream.of(verificationUriComplete, verificationUri)
                .filter(uri -> uri != null && sameOrigin(uri, server))
                .findFirst();
    }

    static boolean sameOrigin(URI link, URI server) {
        if (link.isOpaque() || link.getScheme() == null || link.getHost() == null || link.getRawUserInfo() != null
                || server.getScheme() == null || server.getHost() == null) {
            return false;
        }
        String scheme = link.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("https") || scheme.equals("http"))
                && scheme.equals(server.getScheme().toLowerCase(Locale.ROOT))
                && link.getHost().equalsIgnoreCase(server.getHost())
                && port(link) == port(server);
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
