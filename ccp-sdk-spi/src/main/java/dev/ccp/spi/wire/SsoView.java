package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * An org's single sign-on as {@code GET /v1/orgs/{org}/sso} shows it: everything but the client
 * secret, which is never shown again once set.
 *
 * @param callback the redirect URI to register with the provider
 */
public record SsoView(
        @JsonProperty("kind") String kind,
        @JsonProperty("issuer") String issuer,
        @JsonProperty("client_id") String clientId,
        @JsonProperty("client_secret_set") boolean clientSecretSet,
        @JsonProperty("domains") List<String> domains,
        @JsonProperty("enforced") boolean enforced,
        @JsonProperty("break_glass") String breakGlass,
        @JsonProperty("callback") String callback) {
}
