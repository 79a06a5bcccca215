package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenCommandTest extends CliFixture {

    @Test
    void tokenPrintsOnlyTheToken() {
        login();

        Run run = ccp("token");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo("at-1" + System.lineSeparator());
        assertThat(run.err()).isEmpty();
    }

    @Test
    void tokenIsRenewedWhenAboutToExpire() {
        login();
        clock.advance(Duration.ofSeconds(server.accessTtl));

        assertThat(ccp("token").out().strip()).isEqualTo("at-2");
    }

    @Test
    void tokenWhenNotLoggedInExitsThree() {
        Run run = ccp("token");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly("ccp: not logged in — run `ccp login`");
    }

    @Test
    void tokenForAnotherServerThanTheSessionsExitsThree() {
        login();
        var env = env();
        env.put("CCP_SERVER", "https://elsewhere.example");

        Run run = ccp(env, "token");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.errLines()).containsExactly("ccp: not logged in to https://elsewhere.example (the session is for "
                + server.uri() + ") — run `ccp login`");
    }
}
