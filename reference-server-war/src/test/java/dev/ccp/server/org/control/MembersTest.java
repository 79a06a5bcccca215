package dev.ccp.server.org.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.testing.Fixture;
import dev.ccp.spi.wire.Member;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MembersTest {

    @TempDir
    Path keys;
    Fixture f;
    Principal owner;
    String acme;

    @BeforeEach
    void setUp() {
        f = new Fixture(keys);
        owner = f.signIn("owner@acme.example");
        acme = f.slugOf(owner);
        f.tx.run(em -> f.licenses.grant(em, em.find(Org.class, owner.orgId()), "team", 3, null, "test", "operator", f.clock.instant()));
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private Member add(Principal caller, String login, String role, boolean seat) {
        return f.tx.call(em -> f.members.add(em, caller, f.members.managedOrg(em, caller, acme), login, role, seat, f.clock.instant()));
    }

    private List<Member> list(Principal caller) {
        return f.tx.call(em -> f.members.list(em, f.members.managedOrg(em, caller, acme)));
    }

    @Test
    void someoneAddedBeforeTheirFirstLoginIsPendingAndClaimsItAtLogin() {
        Member pending = add(owner, "OctoCat", "member", true);
        assertThat(pending.status()).isEqualTo("pending");
        assertThat(pending.github()).isEqualTo("octocat");

        Principal octo = f.signIn("octocat", acme);

        assertThat(list(owner)).filteredOn(m -> "octocat".equals(m.login()))
                .singleElement().satisfies(m -> {
                    assertThat(m.status()).isEqualTo("active");
                    assertThat(m.seat()).isEqualTo(pending.seat());
                });
        assertThat(octo.orgId()).isEqualTo(owner.orgId());
    }

    @Test
    void seatsAreBoundedByThePlan() {
        add(owner, "a@acme.example", "member", true);
        add(owner, "b@acme.example", "member", true);
        assertThatThrownBy(() -> add(owner, "c@acme.example", "member", true))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("holds all 3 seats");
        assertThat(add(owner, "c@acme.example", "member", false).seat()).isNull();
    }

    @Test
    void membersCannotManageMembers() {
        add(owner, "dev@acme.example", "member", true);
        Principal dev = f.signIn("dev@acme.example", acme);
        assertThatThrownBy(() -> list(dev)).isInstanceOf(ProblemException.class).hasMessageContaining("only owners and admins");
    }

    @Test
    void adminsManageButOnlyOwnersAddOwners() {
        add(owner, "admin@acme.example", "admin", true);
        Principal admin = f.signIn("admin@acme.example", acme);
        assertThat(add(admin, "x@acme.example", "member", false).role()).isEqualTo("member");
        assertThatThrownBy(() -> add(admin, "y@acme.example", "owner", false)).hasMessageContaining("only owners can add owners");
    }

    @Test
    void adminsCannotRemoveOwners() {
        add(owner, "second-owner@acme.example", "owner", true);
        add(owner, "admin@acme.example", "admin", true);
        Principal admin = f.signIn("admin@acme.example", acme);
        assertThatThrownBy(() -> f.tx.run(em -> f.members.remove(em, admin, f.members.managedOrg(em, admin, acme),
                "second-owner@acme.example", f.clock.instant()))).hasMessageContaining("only owners can remove owners");
    }

    @Test
    void removedMembersLoseTheirSessions() {
        add(owner, "leaver@acme.example", "member", true);
        Principal leaver = f.signIn("leaver@acme.example", acme);
        var tokens = f.tx.call(em -> f.tokens.issue(em, leaver.userId(), leaver.orgId(), "ccp", Fixture.ISSUER, f.clock.instant()));
        f.tx.run(em -> f.members.remove(em, owner, f.members.managedOrg(em, owner, acme), "leaver@acme.example", f.clock.instant()));
        assertThatThrownBy(() -> f.tx.call(em -> f.tokens.authenticate(em, "Bearer " + tokens.accessToken(), f.clock.instant())))
                .hasMessageContaining("revoked");
        assertThat(f.tx.call(em -> f.tokens.refresh(em, tokens.refreshToken(), "ccp", Fixture.ISSUER, f.clock.instant())).error())
                .isNotNull();
    }

    @Test
    void anOperatorCannotGrantFewerSeatsThanAreHeld() {
        add(owner, "a@acme.example", "member", true);
        add(owner, "b@acme.example", "member", true);
        assertThatThrownBy(() -> f.tx.run(em -> f.licenses.grant(em, em.find(Org.class, owner.orgId()), "team", 2, null, "x",
                "operator", f.clock.instant()))).hasMessageContaining("holds 3 seats");
    }

    @Test
    void anotherOrgsSessionSeesNothing() {
        Principal mallory = f.signIn("mallory@evil.example");
        assertThatThrownBy(() -> f.tx.call(em -> f.members.managedOrg(em, mallory, acme)))
                .isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).problem().status()).isEqualTo(404));
    }

    @Test
    void duplicatesAndBadInputAreRefused() {
        add(owner, "dup@acme.example", "member", false);
        assertThatThrownBy(() -> add(owner, "DUP@acme.example", "member", false)).hasMessageContaining("already a member");
        assertThatThrownBy(() -> add(owner, "not valid", "member", false)).hasMessageContaining("email address or a GitHub handle");
        assertThatThrownBy(() -> add(owner, "z@acme.example", "boss", false)).hasMessageContaining("owner, admin or member");
    }

    @Test
    void removingFreesTheSeatButTheLastOwnerStays() {
        add(owner, "a@acme.example", "member", true);
        add(owner, "b@acme.example", "member", true);
        f.tx.run(em -> f.members.remove(em, owner, f.members.managedOrg(em, owner, acme), "a@acme.example", f.clock.instant()));
        assertThat(add(owner, "c@acme.example", "member", true).seat()).isNotNull();
        assertThatThrownBy(() -> f.tx.run(em -> f.members.remove(em, owner, f.members.managedOrg(em, owner, acme), "owner@acme.example", f.clock.instant())))
                .hasMessageContaining("at least one owner");
    }
}
