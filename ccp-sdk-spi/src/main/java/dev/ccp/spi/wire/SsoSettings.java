package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code PUT /v1/orgs/{org}/sso}: the org's own identity provider, set up by an owner.
 *
 * @param kind {@code oidc}; {@code saml} is planned and refused for now
 * @param issuer the OpenID provider's issuer URL, exactly as its discovery document names it
 * @param clientId this server's client id at the provider
 * @param clientSecret its secret; absent to keep the one set before
 * @param domains the email domains the provider vouches for; each belongs to one org only
 * @param enforced whether members must sign in through the provider (the break-glass owner excepted)
 * @param breakGlass an owner of the org (email or GitHub handle) who may still sign in another way
 */
public record SsoSettings(
        @JsonProperty("kind") String kind,
        @JsonProperty("issuer") String issuer,
        @JsonProperty("client_id") String clientId,
        @JsonProperty("client_secret") String clientSecret,
        @JsonProperty("domains") List<String> domains,
        @JsonProperty("enforced") Boolean enforced,
        @JsonProperty("break_glass") String breakGlass) {
}
