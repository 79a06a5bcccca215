package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import dev.ccp.sdk.CcpException;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.InviteView;
import dev.ccp.spi.wire.Member;
import dev.ccp.spi.wire.SeatsView;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ccp org}: the members, roles and seats of an org, for its owners and admins; leaving it, for anyone. */
@Command(name = "org", mixinStandardHelpOptions = true,
        description = "Manage the members, roles and seats of an org (owners and admins), or leave it.",
        subcommands = {OrgCommand.Members.class, OrgCommand.Add.class, OrgCommand.Remove.class, OrgCommand.Role.class,
            OrgCommand.Seats.class, OrgCommand.Assign.class, OrgCommand.Unassign.class, OrgCommand.Invite.class,
            OrgCommand.Invites.class, OrgCommand.RevokeInvite.class, OrgCommand.ResendInvite.class, OrgCommand.Leave.class})
final class OrgCommand extends OrgScopedCommand {
    @Command(name = "members", mixinStandardHelpOptions = true, description = "List the members of the org.")
    static final class Members implements Callable<Integer> {
        @ParentCommand
        OrgCommand parent;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            CcpClient client = parent.client();
            List<Member> members = client.members(parent.org(client));
            if (json) {
                parent.out().println(Json.lenient().writerWithDefaultPrettyPrinter().writeValueAsString(members));
                return ExitCodes.OK;
            }
            int width = Math.max(5, members.stream().mapToInt(m -> m.login().length()).max().orElse(0));
            int seatWidth = Math.max(4, members.stream().mapToInt(m -> m.seat() == null ? 1 : m.seat().length()).max().orElse(0));
            String format = "%-" + width + "s  %-6s  %-" + seatWidth + "s  %s%n";
            parent.out().printf(format, "LOGIN", "ROLE", "SEAT", "STATUS");
            for (Member m : members) {
                parent.out().printf(format, m.login(), m.role(), m.seat() == null ? "-" : m.seat(), m.status());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a person (email or GitHub handle); they join at their next login.")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        OrgCommand parent;

        @Parameters(paramLabel = "LOGIN", description = "Email address or GitHub handle.")
        String login;

        @Option(names = "--role", paramLabel = "ROLE", defaultValue = "member",
                description = "owner, admin or member (default: ${DEFAULT-VALUE}).")
        String role;

        @Option(names = "--no-seat", description = "Add without a seat (an admin who does not use the tool).")
        boolean noSeat;

        @Override
        public Integer call() {
            CcpClient client = parent.client();
            String org = parent.org(client);
            Member member = client.addMember(org, login, role, !noSeat);
            parent.out().println("✓ Added " + member.login() + " to " + org + " as " + member.role()
                    + (member.seat() == null ? " without a seat" : " with seat " + member.seat()));
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a person from the org.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        OrgCommand parent;

        @Parameters(paramLabel = "LOGIN", description = "Email address or GitHub handle.")
        String login;

        @Override
        public Integer call() {
            CcpClient client = parent.client();
            String org = parent.org(client);
            client.removeMember(org, login);
            parent.out().println("✓ Removed " + login + " from " + org);
            return ExitCodes.OK;
        }
    }

    @Command(name = "role", mixinStandardHelpOptions = true,
            description = "Give a member another role; only owners make or unmake owners, and an org keeps one owner.")
    static final class Role implements Callable<Integer> {
        @ParentCommand
        OrgCommand parent;

        @Parameters(index = "0", paramLabel = "LOGIN", description = "Email address or GitHub handle.")
        String login;

        @Parameters(index = "1", paramLabel = "ROLE", description = "owner, admin or member.")
        String role;

        @Override
        public Integer call() {
            CcpClient client = parent.client();
            String org = parent.org(client);
            Member member = client.changeRole(org, login, role);
            parent.out().println("✓ " + member.login() + " is now " + member.role() + " of " + org);
            return ExitCodes.OK;
        }
    }

    @Command(name = "seats", mixinStandardHelpOptions = true, description = "Show how many seats the org's plan holds and how many are taken.")
    static final class Seats implements Callable<Integer> {
        @ParentCommand
        OrgCommand parent;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            CcpClient client = parent.client();
            SeatsView seats = client.seats(parent.org(client));
            if (json) {
                parent.out().println(Json.lenient().writerWithDefaultPrettyPrinter().writeValueAsString(seats));
            } else {
                parent.out().println(seats.org() + " (" + seats.plan() + "): " + seats.seatsUsed() + " of " + seats.seats()
                        + " seats taken, " + Math.max(0, seats.seats() - seats.seatsUsed()) + " free");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "assign", mixinStandardHelpOptions = true, description = "Give a member a seat while the plan has one free.")
    static final class Assign implements Callable<Integer> {
        @ParentCommand
        OrgCommand parent;

        @Parameters(paramLabel = "LOGIN", description = "Email address or GitHub handle.")
        String login;

        @Override
        public Integer call() {
            CcpClient client = parent.client();
            String org = parent.org(client);
            Member member = client.assignSeat(org, login);
            parent.out().println("✓ " + member.login() + " holds seat " + member.seat() + " in " + org);
            return ExitCodes.OK;
        }
    }

    @Command(name = "unassign", mixinStandardHelpOptions = true,
            description = "Take a member's seat back; they stay, with the free plan's features.")
    static final class Unassign implements Callable<Integer> {
        @ParentCommand
        OrgCommand parent;

        @Parameters(paramLabel = "LOGIN", description = "Email address or GitHub handle.")
        String login;

        @Override
        public Integer call() {
            CcpClient client = parent.client();
            String org = parent.org(client);
            Member member = client.unassignSeat(org, login);
            parent.out().println("✓ " + member.login() + " no longer holds a seat in " + org);
            return ExitCodes.OK;
        }
    }

    @Command(name = "leave", mixinStandardHelpOptions = true, description = "Leave the org; its last owner cannot.")
    static final class Leave implements Callable<Integer> {
        @ParentCommand
        OrgCommand parent;

        @Override
        public Integer call() {
            CcpClient client = parent.client();
            String org = parent.org(client);
            String login = client.account().map(a -> a.login())
                    .orElseThrow(() -> new CcpException(CcpException.Kind.NOT_LOGGED_IN, "not logged in"));
            client.removeMember(org, login);
            parent.out().println("✓ You left " + org + "; log in again to use another org");
            return ExitCodes.OK;
        }
    }

    @Command(name = "invite", mixinStandardHelpOptions = true,
            description = "Invite a person by email or GitHub handle (they join at their next login), or make a single-use link.")
    static final class Invite implements Callable<Integer> {
        @ParentCommand
        OrgCommand parent;

        @Parameters(paramLabel = "LOGIN", arity = "0..1", description = "Email address or GitHub handle; leave out with --link.")
        String login;

        @Option(names = "--link", description = "Make a link that one person opens to join, instead of inviting a login.")
        boolean link;

        @Option(names = "--role", paramLabel = "ROLE", defaultValue = "member",
                description = "owner, admin or member (default: ${DEFAULT-VALUE}).")
        String role;

        @Option(names = "--no-seat", description = "Join without a seat.")
        boolean noSeat;

        @Option(names = "--days", paramLabel = "N", description = "Days the invite stays open, 1 to 90 (default: 7).")
        Integer days;

        @Override
        public Integer call() {
            if (link == (login != null)) {
                throw new CliException(ExitCodes.USAGE, "ccp: name a LOGIN to invite, or pass --link for a link — see `ccp org invite --help`");
            }
            CcpClient client = parent.client();
            String org = parent.org(client);
            InviteView invite = client.invite(org, login, role, !noSeat, days);
            if (invite.url() != null) {
                parent.out().println("✓ Invite link to " + org + " as " + invite.role() + ", open until " + invite.expiresAt()
                        + " (id " + invite.id() + "):");
                parent.out().println(invite.url());
            } else {
                parent.out().println("✓ Invited " + invite.login() + " to " + org + " as " + invite.role()
                        + "; they join at their next login, until " + invite.expiresAt() + " (id " + invite.id() + ")");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "invites", mixinStandardHelpOptions = true, description = "List the org's invites and their state.")
    static final class Invites implements Callable<Integer> {
        @ParentCommand
        OrgCommand parent;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            CcpClient client = parent.client();
            List<InviteView> invites = client.invites(parent.org(client));
            if (json) {
                parent.out().println(Json.lenient().writerWithDefaultPrettyPrinter().writeValueAsString(invites));
                return ExitCodes.OK;
            }
            if (invites.isEmpty()) {
                parent.out().println("No invites.");
                return ExitCodes.OK;
            }
            for (InviteView i : invites) {
                parent.out().println(i.id() + "  " + (i.login() == null ? "(link)" : i.login()) + "  " + i.role()
                        + (i.seat() ? " with seat" : "") + "  " + i.state() + "  until " + i.expiresAt());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke-invite", mixinStandardHelpOptions = true, description = "Stop an invite from being used.")
    static final class RevokeInvite implements Callable<Integer> {
        @ParentCommand
        OrgCommand parent;

        @Parameters(paramLabel = "ID", description = "The invite's id (see `ccp org invites`).")
        String id;

        @Override
        public Integer call() {
            CcpClient client = parent.client();
            String org = parent.org(client);
            client.revokeInvite(org, id);
            parent.out().println("✓ Revoked invite " + id + " to " + org);
            return ExitCodes.OK;
        }
    }

    @Command(name = "resend-invite", mixinStandardHelpOptions = true,
            description = "Open an invite again for as long as before; a link gets a new address and the old one stops working.")
    static final class ResendInvite implements Callable<Integer> {
        @ParentCommand
        OrgCommand parent;

        @Parameters(paramLabel = "ID", description = "The invite's id (see `ccp org invites`).")
        String id;

        @Override
        public Integer call() {
            CcpClient client = parent.client();
            String org = parent.org(client);
            InviteView invite = client.resendInvite(org, id);
            parent.out().println("✓ Invite " + id + " to " + org + " is open until " + invite.expiresAt());
            if (invite.url() != null) {
                parent.out().println(invite.url());
            }
            return ExitCodes.OK;
        }
    }
}
