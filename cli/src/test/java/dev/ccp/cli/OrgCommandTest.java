package dev.ccp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OrgCommandTest extends CliFixture {

    @Test
    void membersPrintsATable() {
        login();

        Run run = ccp("org", "members");

        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).containsExactly(
                "LOGIN              ROLE    SEAT    STATUS",
                "alice@example.com  owner   seat_1  active");
    }

    @Test
    void membersAsJson() {
        login();

        Run run = ccp("org", "members", "--json");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("\"login\" : \"alice@example.com\"").contains("\"role\" : \"owner\"");
    }

    @Test
    void addAndRemoveAMember() {
        login();

        Run added = ccp("org", "add", "bob@example.com", "--role", "admin", "--no-seat");
        assertThat(added.exit()).isZero();
        assertThat(added.outLines()).containsExactly("✓ Added bob@example.com to acme as admin without a seat");
        assertThat(server.members).containsKey("bob@example.com");

        Run removed = ccp("org", "remove", "bob@example.com");
        assertThat(removed.exit()).isZero();
        assertThat(removed.outLines()).containsExactly("✓ Removed bob@example.com from acme");
        assertThat(server.members).doesNotContainKey("bob@example.com");
    }

    @Test
    void addingWithASeatNamesTheSeat() {
        login();

        Run added = ccp("org", "add", "carol");

        assertThat(added.outLines()).containsExactly("✓ Added carol to acme as member with seat seat_2");
    }

    @Test
    void nonAdminExitsSix() {
        login();
        server.adminOnly = true;

        Run run = ccp("org", "members");

        assertThat(run.exit()).isEqualTo(6);
        assertThat(run.errLines()).containsExactly("ccp: only owners and admins manage members — ask an owner or admin of the org");
    }

    @Test
    void existingMemberExitsNine() {
        login();

        Run run = ccp("org", "add", "alice@example.com");

        assertThat(run.exit()).isEqualTo(9);
        assertThat(run.errLines()).containsExactly("ccp: alice@example.com is already a member");
    }

    @Test
    void unknownOrgExitsNine() {
        login();

        Run run = ccp("org", "members", "--org", "nope");

        assertThat(run.exit()).isEqualTo(9);
        assertThat(run.errLines()).containsExactly("ccp: no org nope");
    }

    @Test
    void removingAStrangerExitsNine() {
        login();

        Run run = ccp("org", "remove", "nobody");

        assertThat(run.exit()).isEqualTo(9);
        assertThat(run.errLines()).containsExactly("ccp: nobody is not a member of acme");
    }

    @Test
    void orgCommandsNeedALogin() {
        Run run = ccp("org", "members");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.errLines()).containsExactly("ccp: not logged in — run `ccp login`");
    }
}
