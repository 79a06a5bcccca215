package dev.ccp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.spi.wire.Member;
import org.junit.jupiter.api.Test;

class MembersTest extends ClientFixture {

    @Test
    void membersCanBeListedAddedAndRemoved() {
        login(client());
        CcpClient client = client();

        Member bob = client.addMember("acme", "bob@example.com", "admin", false);
        assertThat(bob.role()).isEqualTo("admin");
        assertThat(bob.seat()).isNull();
        assertThat(client.members("acme")).extracting(Member::login).contains("alice@example.com", "bob@example.com");

        client.removeMember("acme", "bob@example.com");
        assertThat(client.members("acme")).extracting(Member::login).containsExactly("alice@example.com");
    }

    @Test
    void nonAdminsAreForbiddenWithTheServersProblem() {
        login(client());
        server.adminOnly = true;

        assertThatThrownBy(() -> client().members("acme"))
                .isInstanceOfSatisfying(CcpException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CcpException.Kind.FORBIDDEN);
                    assertThat(e.getMessage()).isEqualTo("only owners and admins manage members");
                    assertThat(e.problem()).isPresent();
                });
    }

    @Test
    void addingAnExistingMemberIsConflictAndRemovingAStrangerIsNotFound() {
        login(client());

        assertThatThrownBy(() -> client().addMember("acme", "alice@example.com", null, true))
                .isInstanceOfSatisfying(CcpException.class, e -> assertThat(e.kind()).isEqualTo(CcpException.Kind.CONFLICT));
        assertThatThrownBy(() -> client().removeMember("acme", "nobody@example.com"))
                .isInstanceOfSatisfying(CcpException.class, e -> assertThat(e.kind()).isEqualTo(CcpException.Kind.NOT_FOUND));
    }

    @Test
    void meSaysWhoIsLoggedIn() {
        login(client());

        assertThat(client().me().org()).isEqualTo("acme");
    }
}
