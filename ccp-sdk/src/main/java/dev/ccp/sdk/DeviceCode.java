package dev.ccp.sdk;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * What to show the person during a device login (RFC 8628 §3.3).
 *
 * @param userCode the code to type, such as {@code BCDF-GHJK}
 * @param verificationUri where to type it
 * @param verificationUriComplete the same page with the code filled in; null when the server has none
 * @param expiresAt when the code stops working
 */
public record DeviceCode(String userCode, URI verificationUri, URI verificationUriComplete, Instant expiresAt) {

    public DeviceCode {
        Objects.requireNonNull(userCode, "userCode");
        Objects.requireNonNull(verificationUri, "verificationUri");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The page to open in a browser: the complete one when there is one. */
    public URI browserUri() {
        return verificationUriComplete != null ? verificationUriComplete : verificationUri;
    }
}
