package dev.ccp.sdk;

import java.net.URI;

/**
 * Who is logged in, as the local credentials say (no network).
 *
 * @param server the server the session belongs to
 * @param login email or GitHub handle
 * @param org the org the session is for
 */
public record Account(URI server, String login, String org) {
}
