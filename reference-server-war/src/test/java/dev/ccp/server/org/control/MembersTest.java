package dev.ccp.server.org.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.testing.Fixture;
import dev.ccp.spi.wire.Member;
import dev.ccp.spi.wire.SeatsView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

    private Member role(Principal caller, String login, String role) {
        return f.tx.call(em -> f.members.changeRole(em, caller, f.members.managedOrg(em, caller, acme), login, role, f.clock.instant()));
    }

    private void remove(Principal caller, String login) {
        f.tx.run(em -> f.members.remove(em, caller, f.members.callersOrg(em, caller, acme), login, f.clock.instant()));
    }

    private Member assign(String login) {
        return f.tx.call(em -> f.members.assignSeat(em, owner, f.members.managedOrg(em, owner, acme), login, f.clock.instant()));
    }

    private static String slug(Throwable e) {
        return ((ProblemException) e).problem().type().replaceFirst(".*/", "");
    }

    @Test
    void theLastOwnerCannotBeDemotedRemovedOrLeave() {
        assertThatThrownBy(() -> role(owner, "owner@acme.example", "admin")).satisfies(e -> assertThat(slug(e)).isEqualTo("last-owner"));
        assertThatThrownBy(() -> remove(owner, "owner@acme.example")).satisfies(e -> assertThat(slug(e)).isEqualTo("last-owner"));

        add(owner, "second@acme.example", "owner", false);
        f.signIn("second@acme.example", acme);
        role(owner, "owner@acme.example", "admin");

        assertThat(list(owner)).filteredOn(m -> m.login().equals("owner@acme.example")).singleElement()
                .satisfies(m -> assertThat(m.role()).isEqualTo("admin"));
    }

    @Test
    void onlyOwnersMakeOrUnmakeOwnersAndAdminsChangeTheRest() {
        add(owner, "admin@acme.example", "admin", false);
        add(owner, "dev@acme.example", "member", true);
        Principal admin = f.signIn("admin@acme.example", acme);
        f.signIn("dev@acme.example", acme);

        assertThat(role(admin, "dev@acme.example", "admin").role()).isEqualTo("admin");
        assertThat(role(admin, "dev@acme.example", "member").role()).isEqualTo("member");
        assertThatThrownBy(() -> role(admin, "dev@acme.example", "owner")).hasMessageContaining("only owners make or unmake owners");
        assertThatThrownBy(() -> role(admin, "owner@acme.example", "member")).hasMessageContaining("only owners make or unmake owners");
        assertThatThrownBy(() -> role(admin, "dev@acme.example", "king")).hasMessageContaining("role must be owner, admin or member");
        assertThatThrownBy(() -> role(admin, "nobody@acme.example", "admin")).hasMessageContaining("is not a member");
    }

    @Test
    void anyoneMayLeaveButOnlyManagersRemoveOthers() {
        add(owner, "dev@acme.example", "member", true);
        add(owner, "ops@acme.example", "member", true);
        Principal dev = f.signIn("dev@acme.example", acme);
        f.signIn("ops@acme.example", acme);

        assertThatThrownBy(() -> remove(dev, "ops@acme.example")).hasMessageContaining("you can only leave");
        remove(dev, "dev@acme.example");

        assertThat(list(owner)).extracting(Member::login).containsExactlyInAnyOrder("owner@acme.example", "ops@acme.example");
        assertThatThrownBy(() -> f.tx.run(em -> f.members.callersOrg(em, dev, acme)))
                .hasMessageContaining("membership has been removed");
    }

    @Test
    void seatsAreAssignedWithinThePlanAndTakenBack() {
        add(owner, "a@acme.example", "member", true);
        add(owner, "b@acme.example", "member", false);
        add(owner, "c@acme.example", "member", false);

        Member b = assign("b@acme.example");
        assertThat(b.seat()).isNotNull();
        assertThat(assign("b@acme.example").seat()).as("assigning again keeps the seat").isEqualTo(b.seat());
        assertThatThrownBy(() -> assign("c@acme.example")).satisfies(e -> assertThat(slug(e)).isEqualTo("seat-limit"));

        Member a = f.tx.call(em -> f.members.unassignSeat(em, owner, f.members.managedOrg(em, owner, acme), "a@acme.example", f.clock.instant()));
        assertThat(a.seat()).isNull();
        assertThat(assign("c@acme.example").seat()).isNotNull();
        SeatsView seats = f.tx.call(em -> f.members.seats(em, em.find(Org.class, owner.orgId()), f.clock.instant()));
        assertThat(seats.seats()).isEqualTo(3);
        assertThat(seats.seatsUsed()).isEqualTo(3);
        assertThat(seats.plan()).isEqualTo("team");
    }

    @Test
    void twoTakersOfTheLastSeatGetOneSeatAndOneClearRefusal() throws Exception {
        add(owner, "a@acme.example", "member", true);
        add(owner, "b@acme.example", "member", false);
        add(owner, "c@acme.example", "member", false);
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Member>> takes = pool.invokeAll(List.of("b@acme.example", "c@acme.example").stream()
                    .<Callable<Member>>map(login -> () -> {
                        start.await();
                        return assign(login);
                    }).toList());
            List<Object> outcomes = new ArrayList<>();
            for (Future<Member> take : takes) {
                try {
                    outcomes.add(take.get());
                } catch (ExecutionException e) {
                    outcomes.add(e.getCause());
                }
            }
            assertThat(outcomes).filteredOn(Member.class::isInstance).hasSize(1);
            assertThat(outcomes).filteredOn(ProblemException.class::isInstance).singleElement()
                    .satisfies(e -> assertThat(slug((Throwable) e)).isEqualTo("seat-limit"));
        } finally {
            pool.shutdownNow();
        }
        long held = f.tx.call(em -> Accounts.seatsHeld(em, owner.orgId()));
        assertThat(held).isEqualTo(3L);
    }
}
