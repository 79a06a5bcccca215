package dev.ccp.server.identity.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SignInMethodsTest {

    final GitHubSignIn github = new GitHubSignIn("client", "secret", "https://github.example:8443/", "https://api.github.example");

    @Test
    void aTypedLoginIsBelievedOnlyWhenTheStandInIsOn() {
        assertThat(new SignInMethods(true, null, null, null).typed(Map.of("login", "Ada@Example.com"))).isEqualTo(new Identity("ada@example.com", null));
        assertThatThrownBy(() -> new SignInMethods(false, github, null, null).typed(Map.of("login", "ada@example.com")))
                .hasMessage("Sign in with GitHub: this server does not take a typed email or handle.");
        assertThatThrownBy(() -> new SignInMethods(false, null, null, null).typed(Map.of("login", "ada@example.com")))
                .hasMessageContaining("No way to sign in is set up");
        assertThatThrownBy(() -> new SignInMethods(true, null, null, null).typed(Map.of("login", "not an email")))
                .hasMessageContaining("Enter an email address");
    }

    @Test
    void pagesMaySendFormsOnToGitHubOnlyWhenItIsSetUp() {
        assertThat(new SignInMethods(true, github, null, null).formTargets()).containsExactly("https://github.example:8443");
        assertThat(new SignInMethods(true, null, null, null).formTargets()).isEmpty();
        assertThat(github.authorize("st", "ch", "https://ccp.example.com/login/github/callback").toString())
                .startsWith("https://github.example:8443/login/oauth/authorize?client_id=client&redirect_uri=https%3A%2F%2Fccp.example.com")
                .contains("&state=st&code_challenge=ch&code_challenge_method=S256");
    }
}
