package dev.ccp.spi.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code /v1/orgs/{org}/github/installations}: an installation of the GitHub App, whose pull requests
 * the org's prod policy reviews once it is connected to the org.
 *
 * @param id        the installation's id, as GitHub gives it ({@code installation_id})
 * @param account   the GitHub account (organization or user) the app is installed on
 * @param connected whether it is connected to the org
 */
public record GitHubInstallationView(
        @JsonProperty("id") long id,
        @JsonProperty("account") String account,
        @JsonProperty("connected") boolean connected) {
}
