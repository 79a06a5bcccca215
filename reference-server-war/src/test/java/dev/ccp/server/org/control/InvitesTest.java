package dev.ccp.server.org.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.server.identity.control.Identity;
import dev.ccp.server.identity.control.Memberships;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.entity.User;
import dev.ccp.server.org.entity.Invite;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.testing.Fixture;
import dev.ccp.spi.wire.Member;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvitesTest {

    @TempDir
    Path keys;
    Fixture f;
    Invites invites;
    Principal owner;
    String acme;

    @BeforeEach
    void setUp() {
        f = new Fixture(keys);
        invites = f.controls.invites;
        owner = f.signIn("owner@acme.example");
        acme = f.slugOf(owner);
        f.tx.run(em -> f.licenses.grant(em, em.find(Org.class, owner.orgId()), "team", 2, null, "test", "operator", f.clock.instant()));
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private Invites.Issued invite(Principal caller, String login, String role, boolean seat, Integer days) {
        return f.tx.call(em -> invites.create(em, caller, f.members.managedOrg(em, caller, acme), login, role, seat, days, f.clock.instant()));
    }

    private Optional<Invites.Accepted> accept(String token, String login) {
        return f.tx.call(em -> {
            User user = Accounts.signIn(em, Identity.parse(login).orElseThrow(), f.clock.instant());
            return invites.accept(em, token, user, f.clock.instant());
        });
    }

    /** Signs in as the application does, claiming invites to the person's login. */
    private void signIn(String login) {
        f.tx.run(em -> f.controls.memberships.signIn(em, Identity.parse(login).orElseThrow(), null, Memberships.WEB, Memberships.STAND_IN, f.clock.instant()));
    }

    private List<Member> members() {
        return f.tx.call(em -> f.members.list(em, f.members.managedOrg(em, owner, acme)));
    }

    private Invite.State state(String id) {
        return f.tx.call(em -> em.find(Invite.class, id).state(f.clock.instant()));
    }

    private static String slug(Throwable e) {
        return ((ProblemException) e).problem().type().replaceFirst(".*/", "");
    }

    @Test
    void aLinkLetsOnePersonJoinWithItsRoleAndSeatOnce() {
        Invites.Issued link = invite(owner, null, "admin", true, null);
        assertThat(link.token()).hasSizeGreaterThan(30);
        assertThat(link.invite().expiresAt()).isEqualTo(f.clock.instant().plus(Duration.ofDays(Invites.DEFAULT_DAYS)));

        Invites.Accepted joined = accept(link.token(), "ada@example.com").orElseThrow();
        assertThat(joined.membership().role().wire()).isEqualTo("admin");
        assertThat(joined.membership().seat()).isNotNull();
        assertThat(joined.seatMissing()).isFalse();

        assertThat(accept(link.token(), "eve@example.com")).as("a used link lets no one else in").isEmpty();
        assertThat(state(link.invite().id())).isEqualTo(Invite.State.USED);
        assertThat(members()).extracting(Member::login).containsExactlyInAnyOrder("owner@acme.example", "ada@example.com");
    }

    @Test
    void theTokenIsKeptOnlyAsItsHash() {
        Invites.Issued link = invite(owner, null, "member", true, null);
        String stored = f.tx.call(em -> (String) em.createNativeQuery("select token_hash from invites where id = ?1")
                .setParameter(1, link.invite().id()).getSingleResult());
        assertThat(stored).isNotEqualTo(link.token()).doesNotContain(link.token());
        assertThat(accept(link.token() + "x", "ada@example.com")).isEmpty();
        assertThat(accept("", "ada@example.com")).isEmpty();
    }

    @Test
    void anExpiredOrRevokedInviteLetsNoOneIn() {
        Invites.Issued soon = invite(owner, null, "member", true, 1);
        Invites.Issued revoked = invite(owner, null, "member", true, null);
        f.tx.run(em -> invites.revoke(em, owner, em.find(Org.class, owner.orgId()), revoked.invite().id(), f.clock.instant()));
        f.clock.advance(Duration.ofDays(1));

        assertThat(accept(soon.token(), "late@example.com")).isEmpty();
        assertThat(state(soon.invite().id())).isEqualTo(Invite.State.EXPIRED);
        assertThat(accept(revoked.token(), "ada@example.com")).isEmpty();
        assertThat(state(revoked.invite().id())).isEqualTo(Invite.State.REVOKED);
        assertThat(members()).hasSize(1);
    }

    @Test
    void resendingALinkGivesANewTokenAndEndsTheOldOne() {
        Invites.Issued first = invite(owner, null, "member", false, 3);
        f.clock.advance(Duration.ofDays(2));
        Invites.Issued again = f.tx.call(em -> invites.resend(em, owner, em.find(Org.class, owner.orgId()), first.invite().id(), f.clock.instant()));

        assertThat(again.token()).isNotEqualTo(first.token());
        assertThat(again.invite().expiresAt()).isEqualTo(f.clock.instant().plus(Duration.ofDays(3)));
        assertThat(accept(first.token(), "ada@example.com")).isEmpty();
        assertThat(accept(again.token(), "ada@example.com")).isPresent();
        assertThatThrownBy(() -> f.tx.run(em -> invites.resend(em, owner, em.find(Org.class, owner.orgId()), first.invite().id(), f.clock.instant())))
                .satisfies(e -> assertThat(slug(e)).isEqualTo("invite-used"));
        assertThatThrownBy(() -> f.tx.run(em -> invites.revoke(em, owner, em.find(Org.class, owner.orgId()), first.invite().id(), f.clock.instant())))
                .satisfies(e -> assertThat(slug(e)).isEqualTo("invite-used"));
    }

    @Test
    void aLoginInviteIsClaimedAtThatPersonsNextSignIn() {
        Invites.Issued invite = invite(owner, "OctoCat", "member", true, null);
        assertThat(invite.token()).isNull();
        assertThat(invite.invite().login()).isEqualTo("octocat");
        assertThatThrownBy(() -> invite(owner, "octocat", "admin", true, null)).satisfies(e -> assertThat(slug(e)).isEqualTo("already-invited"));

        signIn("octocat");

        assertThat(members()).filteredOn(m -> "octocat".equals(m.login())).singleElement()
                .satisfies(m -> assertThat(m.seat()).isNotNull());
        assertThat(state(invite.invite().id())).isEqualTo(Invite.State.USED);
        assertThatThrownBy(() -> invite(owner, "octocat", "member", true, null)).satisfies(e -> assertThat(slug(e)).isEqualTo("already-member"));
    }

    @Test
    void aRevokedOrExpiredLoginInviteIsNotClaimed() {
        Invites.Issued revoked = invite(owner, "rev@example.com", "member", true, null);
        invite(owner, "late@example.com", "member", true, 1);
        f.tx.run(em -> invites.revoke(em, owner, em.find(Org.class, owner.orgId()), revoked.invite().id(), f.clock.instant()));
        f.clock.advance(Duration.ofDays(2));

        signIn("rev@example.com");
        signIn("late@example.com");

        assertThat(members()).extracting(Member::login).containsExactly("owner@acme.example");
    }

    @Test
    void onlyOwnersInviteOwnersAndMembersInviteNoOne() {
        Member admin = f.tx.call(em -> f.members.add(em, owner, f.members.managedOrg(em, owner, acme), "admin@acme.example", "admin", false,
                f.clock.instant()));
        Principal adminSession = f.signIn(admin.login(), acme);
        assertThatThrownBy(() -> invite(adminSession, null, "owner", true, null)).hasMessageContaining("only owners invite owners");
        assertThat(invite(adminSession, null, "admin", true, null).invite().role().wire()).isEqualTo("admin");
        assertThatThrownBy(() -> invite(owner, null, "king", true, null)).hasMessageContaining("role must be owner, admin or member");
        assertThatThrownBy(() -> invite(owner, null, "member", true, 91)).hasMessageContaining("between 1 and 90");
        assertThatThrownBy(() -> invite(owner, "not a login!", "member", true, null)).hasMessageContaining("login must be");

        f.tx.run(em -> f.members.add(em, owner, f.members.managedOrg(em, owner, acme), "dev@acme.example", "member", false, f.clock.instant()));
        Principal dev = f.signIn("dev@acme.example", acme);
        assertThatThrownBy(() -> invite(dev, null, "member", true, null)).hasMessageContaining("only owners and admins");
    }

    @Test
    void anotherOrgsInviteCannotBeSeenRevokedOrResent() {
        Invites.Issued link = invite(owner, null, "member", true, null);
        Principal mallory = f.signIn("mallory@evil.example");
        Org evil = f.tx.call(em -> em.find(Org.class, mallory.orgId()));

        List<Invite> seen = f.tx.call(em -> invites.list(em, evil));
        assertThat(seen).isEmpty();
        assertThatThrownBy(() -> f.tx.run(em -> invites.revoke(em, mallory, evil, link.invite().id(), f.clock.instant())))
                .satisfies(e -> assertThat(((ProblemException) e).problem().status()).isEqualTo(404));
        assertThatThrownBy(() -> f.tx.run(em -> invites.resend(em, mallory, evil, link.invite().id(), f.clock.instant())))
                .satisfies(e -> assertThat(((ProblemException) e).problem().status()).isEqualTo(404));
        assertThat(state(link.invite().id())).isEqualTo(Invite.State.OPEN);
    }

    @Test
    void aSeatThatIsNoLongerFreeLeavesTheNewMemberWithoutOne() {
        f.tx.run(em -> f.members.add(em, owner, f.members.managedOrg(em, owner, acme), "dev@acme.example", "member", true, f.clock.instant()));
        Invites.Issued link = invite(owner, null, "member", true, null);

        Invites.Accepted joined = accept(link.token(), "ada@example.com").orElseThrow();

        assertThat(joined.membership().seat()).isNull();
        assertThat(joined.seatMissing()).isTrue();
    }

    @Test
    void twoPeopleOpeningOneLinkAtOnceGetOneMembership() throws Exception {
        Invites.Issued link = invite(owner, null, "member", false, null);
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Optional<Invites.Accepted>> outcomes = new ArrayList<>();
        try {
            List<Future<Optional<Invites.Accepted>>> tries = pool.invokeAll(List.of("ada@example.com", "eve@example.com").stream()
                    .<Callable<Optional<Invites.Accepted>>>map(login -> () -> {
                        start.await();
                        return accept(link.token(), login);
                    }).toList());
            for (Future<Optional<Invites.Accepted>> one : tries) {
                outcomes.add(one.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(outcomes).filteredOn(Optional::isPresent).hasSize(1);
        assertThat(members()).hasSize(2);
    }

    @Test
    void spentInvitesArePrunedAfterTheAgeGivenAndOpenOnesStay() {
        Invites.Issued used = invite(owner, null, "member", false, null);
        accept(used.token(), "ada@example.com");
        Invites.Issued open = invite(owner, null, "member", false, 90);
        f.clock.advance(Duration.ofDays(31));

        int pruned = f.tx.call(em -> invites.prune(em, Duration.ofDays(30), f.clock.instant()));

        assertThat(pruned).isEqualTo(1);
        List<Invite> left = f.tx.call(em -> invites.list(em, em.find(Org.class, owner.orgId())));
        assertThat(left).extracting(Invite::id).containsExactly(open.invite().id());
    }
}
