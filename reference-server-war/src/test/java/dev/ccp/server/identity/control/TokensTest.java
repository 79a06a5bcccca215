package dev.ccp.server.identity.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.testing.Fixture;
import dev.ccp.spi.wire.TokenResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensTest {

    @TempDir
    Path keys;
    Fixture f;
    Principal ada;

    @BeforeEach
    void setUp() {
        f = new Fixture(keys);
        ada = f.signIn("ada@example.com");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private TokenResponse issue() {
        return f.tx.call(em -> f.tokens.issue(em, ada.userId(), ada.orgId(), "ccp", Fixture.ISSUER, f.clock.instant()));
    }

    private Tokens.Refresh refresh(String token, String client) {
        return f.tx.call(em -> f.tokens.refresh(em, token, client, Fixture.ISSUER, f.clock.instant()));
    }

    private Principal authenticate(String access) {
        return f.tx.call(em -> f.tokens.authenticate(em, "Bearer " + access, f.clock.instant()));
    }

    @Test
    void accessTokenAuthenticatesTheUserForTheOrg() {
        Principal caller = authenticate(issue().accessToken());
        assertThat(caller.userId()).isEqualTo(ada.userId());
        assertThat(caller.orgId()).isEqualTo(ada.orgId());
    }

    @Test
    void refreshRotatesTheRefreshToken() {
        TokenResponse first = issue();
        Tokens.Refresh second = refresh(first.refreshToken(), "ccp");
        assertThat(second.error()).isNull();
        assertThat(second.tokens().refreshToken()).isNotEqualTo(first.refreshToken());
        assertThat(refresh(second.tokens().refreshToken(), "ccp").error()).isNull();
    }

    @Test
    void refreshTokenReuseRevokesFamily() {
        TokenResponse first = issue();
        Tokens.Refresh second = refresh(first.refreshToken(), "ccp");
        f.clock.advance(Duration.ofSeconds(61));

        Tokens.Refresh reuse = refresh(first.refreshToken(), "ccp");

        assertThat(reuse.error().error()).isEqualTo("invalid_grant");
        assertThat(refresh(second.tokens().refreshToken(), "ccp").error().errorDescription()).contains("revoked");
        assertThatThrownBy(() -> authenticate(second.tokens().accessToken())).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> authenticate(first.accessToken())).isInstanceOf(ProblemException.class);
    }

    @Test
    void aRetryOfALostRefreshWithinTheGraceGetsTheSameAnswer() {
        TokenResponse first = issue();
        Tokens.Refresh lost = refresh(first.refreshToken(), "ccp");
        f.clock.advance(Duration.ofSeconds(10));

        Tokens.Refresh retried = refresh(first.refreshToken(), "ccp");
        Tokens.Refresh again = refresh(first.refreshToken(), "ccp");

        assertThat(retried.error()).isNull();
        assertThat(retried.tokens()).isEqualTo(lost.tokens()).isEqualTo(again.tokens());
        assertThat(authenticate(retried.tokens().accessToken()).userId()).isEqualTo(ada.userId());
        assertThat(refresh(retried.tokens().refreshToken(), "ccp").error()).as("the one successor still works").isNull();
    }

    @Test
    void aRetryAfterTheGraceRevokesTheFamily() {
        TokenResponse first = issue();
        Tokens.Refresh lost = refresh(first.refreshToken(), "ccp");
        f.clock.advance(Tokens.REUSE_GRACE.plusSeconds(1));

        assertThat(refresh(first.refreshToken(), "ccp").error().error()).isEqualTo("invalid_grant");
        assertThat(refresh(lost.tokens().refreshToken(), "ccp").error().errorDescription()).contains("revoked");
    }

    @Test
    void aReuseAfterTheSuccessorWasUsedRevokesTheFamilyEvenWithinTheGrace() {
        TokenResponse first = issue();
        Tokens.Refresh second = refresh(first.refreshToken(), "ccp");
        Tokens.Refresh third = refresh(second.tokens().refreshToken(), "ccp");

        assertThat(refresh(first.refreshToken(), "ccp").error().error()).isEqualTo("invalid_grant");
        assertThat(refresh(third.tokens().refreshToken(), "ccp").error()).as("the family is revoked").isNotNull();
    }

    @Test
    void otherFamiliesSurviveAReuse() {
        TokenResponse laptop = issue();
        TokenResponse desktop = issue();
        refresh(laptop.refreshToken(), "ccp");
        f.clock.advance(Duration.ofSeconds(61));
        refresh(laptop.refreshToken(), "ccp");
        assertThat(authenticate(desktop.accessToken()).userId()).isEqualTo(ada.userId());
    }

    @Test
    void refreshTokenOfAnotherClientIsRefused() {
        assertThat(refresh(issue().refreshToken(), "other").error().error()).isEqualTo("invalid_grant");
    }

    @Test
    void expiredRefreshTokenIsRefused() {
        TokenResponse tokens = issue();
        f.clock.advance(Duration.ofDays(91));
        assertThat(refresh(tokens.refreshToken(), "ccp").error().errorDescription()).contains("expired");
    }

    @Test
    void accessTokenExpires() {
        TokenResponse tokens = issue();
        f.clock.advance(Duration.ofMinutes(16));
        assertThatThrownBy(() -> authenticate(tokens.accessToken())).isInstanceOf(ProblemException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void revokingARefreshTokenEndsItsAccessTokens() {
        TokenResponse tokens = issue();
        f.tx.run(em -> f.tokens.revoke(em, tokens.refreshToken(), "ccp", f.clock.instant()));
        assertThatThrownBy(() -> authenticate(tokens.accessToken())).hasMessageContaining("revoked");
        assertThat(refresh(tokens.refreshToken(), "ccp").error()).isNotNull();
    }

    @Test
    void anotherClientCannotRevokeATokenItWasNotIssued() {
        TokenResponse tokens = issue();
        f.tx.run(em -> f.tokens.revoke(em, tokens.refreshToken(), "other", f.clock.instant()));
        assertThat(authenticate(tokens.accessToken()).userId()).isEqualTo(ada.userId());
    }

    @Test
    void forgedOrMissingBearerIsUnauthorized() {
        String access = issue().accessToken();
        String[] parts = access.split("\\.");
        // One character early in the signature, always another: its last characters can already read AAAA,
        // since an Ed25519 S stays below 2^253.
        char[] signature = parts[2].toCharArray();
        signature[10] = signature[10] == 'A' ? 'B' : 'A';
        String forged = parts[0] + "." + parts[1] + "." + new String(signature);
        assertThatThrownBy(() -> authenticate(forged)).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> f.tx.call(em -> f.tokens.authenticate(em, null, f.clock.instant())))
                .hasMessageContaining("Authorization: Bearer");
    }
}
