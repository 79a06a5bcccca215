package dev.ccp.cli;

import dev.ccp.sdk.CcpClient;
import dev.ccp.sdk.CcpException;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.Member;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code ccp org}: members of an org, for its owners and admins. */
@Command(name = "org", mixinStandardHelpOptions = true, description = "Manage the members of an org (owners and admins).",
        subcommands = {OrgCommand.Members.class, OrgCommand.Add.class, OrgCommand.Remove.class})
final class OrgCommand implements Runnable {

    @ParentCommand
    CcpCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--org", paramLabel = "SLUG", scope = ScopeType.INHERIT,
            description = "The org (default: the org logged in to).")
    String org;

    @Override
    public void run() {
        spec.commandLine().usage(root.context.out());
    }

    CcpClient client() {
        return root.client();
    }

    String org(CcpClient client) {
        if (org != null) {
            return org;
        }
        return client.account().map(a -> a.org())
                .orElseThrow(() -> new CcpException(CcpException.Kind.NOT_LOGGED_IN, "not logged in"));
    }

    PrintStream out() {
        return root.context.out();
    }

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
}
