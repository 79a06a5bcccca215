package dev.ccp.server.identity.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdentityTest {

    @Test
    void emailsAreLowerCased() {
        assertThat(Identity.parse(" Ada@Example.COM ")).contains(new Identity("ada@example.com", null));
    }

    @Test
    void githubHandlesAreLowerCasedAndMayStartWithAt() {
        assertThat(Identity.parse("OctoCat")).contains(new Identity(null, "octocat"));
        assertThat(Identity.parse("@octo-cat")).contains(new Identity(null, "octo-cat"));
    }

    @Test
    void neitherEmailNorHandleIsRefused() {
        assertThat(Identity.parse("not an email")).isEmpty();
        assertThat(Identity.parse("a@b")).isEmpty();
        assertThat(Identity.parse("-leading-dash")).isEmpty();
        assertThat(Identity.parse("double--dash")).isEmpty();
        assertThat(Identity.parse("a".repeat(40))).isEmpty();
        assertThat(Identity.parse("")).isEmpty();
        assertThat(Identity.parse(null)).isEmpty();
    }
}
