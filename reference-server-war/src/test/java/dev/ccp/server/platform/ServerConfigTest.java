package dev.ccp.server.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

    @Test
    void theStandInSignInIsOffUnlessAskedFor() {
        assertThat(new ServerConfig(Map.of()).standInLogin()).isFalse();
        assertThat(new ServerConfig(Map.of("CCP_STAND_IN_LOGIN", "on")).standInLogin()).isTrue();
        assertThat(new ServerConfig(Map.of("CCP_STAND_IN_LOGIN", "on", "CCP_PUBLIC_URL", "http://localhost:8080")).standInLogin()).isTrue();
        assertThatThrownBy(() -> new ServerConfig(Map.of("CCP_STAND_IN_LOGIN", "yes")).standInLogin())
                .hasMessageContaining("CCP_STAND_IN_LOGIN must be on or off");
    }

    @Test
    void theStandInRefusesAPublicHttpsAddressUnlessTheOperatorSaysAnyoneMaySignInAsAnyone() {
        ServerConfig https = new ServerConfig(Map.of("CCP_STAND_IN_LOGIN", "on", "CCP_PUBLIC_URL", "https://ccp.example.com"));
        assertThatThrownBy(https::standInLogin).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("believes any email or handle typed in").hasMessageContaining("CCP_GITHUB_CLIENT_ID");

        assertThat(new ServerConfig(Map.of("CCP_STAND_IN_LOGIN", "on", "CCP_PUBLIC_URL", "https://ccp.example.com",
                "CCP_STAND_IN_LOGIN_OVER_HTTPS_BELIEVES_ANYONE", "yes")).standInLogin()).isTrue();
        assertThat(new ServerConfig(Map.of("CCP_PUBLIC_URL", "https://ccp.example.com")).standInLogin()).isFalse();
    }
}
