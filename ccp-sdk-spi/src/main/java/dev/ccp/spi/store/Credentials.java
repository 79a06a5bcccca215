package dev.ccp.spi.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What a login leaves behind for one server: the tokens and who they are for.
 *
 * @param server the server's base URL
 * @param accessToken a short-lived bearer token
 * @param accessExpiresAt when the access token stops working
 * @param refreshToken the opaque, single-use refresh token
 * @param login who logged in (email or GitHub handle)
 * @param org the org the tokens are for
 */
public record Credentials(
        String server,
        String accessToken,
        Instant accessExpiresAt,
        String refreshToken,
        String login,
        String org) {

    public Credentials {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(accessExpiresAt, "accessExpiresAt");
    }

    @Override
    public String toString() {
        return "Credentials[server=" + server + ", login=" + login + ", org=" + org + ", tokens=<redacted>]";
    }
}
