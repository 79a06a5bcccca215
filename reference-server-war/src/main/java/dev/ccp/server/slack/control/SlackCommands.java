package dev.ccp.server.slack.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccp.server.license.control.LicenseService;
import dev.ccp.server.org.control.Accounts;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.runs.control.Runners;
import dev.ccp.server.runs.control.Runs;
import dev.ccp.spi.wire.RunRequest;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.WorkspaceRef;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code /ccp} slash command. Every answer is ephemeral (only the person who typed the command
 * sees it) and is made within the request, from the database alone: posting a run's message to the
 * channel is left to {@link SlackMessages}, after the answer. Anything a command cannot do is said
 * in one line with what to do instead.
 */
public final class SlackCommands {

    static final String USAGE = "Usage: `/ccp run RECIPE [WORKSPACE]` · `/ccp runs` · `/ccp status` · `/ccp workspace [NAME]`"
            + " · `/ccp link` · `/ccp unlink` · `/ccp help`";
    private static final Pattern WORKSPACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** A slash command as Slack sends it (form fields of the same names). */
    public record Command(String teamId, String channelId, String userId, String command, String text, String responseUrl,
            String triggerId) {

        /** The command from its form fields; 400 when Slack's required fields are missing. */
        public static Command of(Map<String, String> form) {
            Command command = new Command(form.get("team_id"), form.get("channel_id"), form.get("user_id"), form.get("command"),
                    form.getOrDefault("text", ""), form.get("response_url"), form.get("trigger_id"));
            for (String[] field : List.of(new String[] {"team_id", command.teamId()}, new String[] {"channel_id", command.channelId()},
                    new String[] {"user_id", command.userId()}, new String[] {"command", command.command()})) {
                if (field[1] == null || !field[1].matches("[A-Za-z0-9_/.-]{1,64}")) {
                    throw ProblemException.badRequest("not a Slack slash command: " + field[0] + " is missing or malformed");
                }
            }
            if (command.text().length() > 4000) {
                throw ProblemException.badRequest("a slash command's text is at most 4000 characters");
            }
            return command;
        }
    }

    private final SlackTeams teams;
    private final SlackMessages messages;
    private final Runs runs;
    private final Runners runners;
    private final LicenseService licenses;

    public SlackCommands(SlackTeams teams, SlackMessages messages, Runs runs, Runners runners, LicenseService licenses) {
        this.teams = teams;
        this.messages = messages;
        this.runs = runs;
        this.runners = runners;
        this.licenses = licenses;
    }

    /** Slack's check of the command URL's certificate: acknowledged, nothing carried out. */
    public static ObjectNode sslCheck() {
        return SlackMessages.ephemeral("");
    }

    /** The answer to a verified command; a refusal of the control layer is said, not thrown. */
    public ObjectNode answer(Tx tx, Command command, String baseUrl, Instant now) {
        try {
            return SlackMessages.ephemeral(tx.call(em -> answer(em, command, baseUrl, now)));
        } catch (ProblemException e) {
            return SlackMessages.ephemeral(SlackMessages.sentence(e));
        }
    }

    private String answer(EntityManager em, Command command, String baseUrl, Instant now) {
        if (command.triggerId() != null && !SlackRequests.firstTime(em, "trigger:" + command.triggerId(), now)) {
            return "This command was received already; nothing was done twice.";
        }
        String[] words = command.text().strip().isEmpty() ? new String[] {"help"} : command.text().strip().split("\\s+");
        String verb = words[0].toLowerCase(Locale.ROOT);
        if (verb.equals("help")) {
            return "CCP runs recipes in your repositories and asks the right people before risky steps. " + USAGE;
        }
        SlackTeams.Team team = teams.team(em, command.teamId()).orElseThrow(() -> ProblemException.notFound(
                "CCP is not connected to this Slack workspace: an owner or admin of your CCP org connects it at " + baseUrl + "admin/slack"));
        switch (verb) {
            case "link" -> {
                return "Open <" + baseUrl + "slack/link/" + teams.linkCode(em, team, command.userId(), now)
                        + "|this link> within " + SlackTeams.LINK_TTL.toMinutes() + " minutes and sign in to link your Slack account to CCP."
                        + " It works once.";
            }
            case "unlink" -> {
                return teams.unlink(em, team, command.userId(), now) ? "Unlinked: your Slack account no longer acts for your CCP account."
                        : "Your Slack account is not linked to CCP.";
            }
            case "run" -> {
                return run(em, teams.member(em, team, command.userId()), command, words, baseUrl, now);
            }
            case "runs" -> {
                return list(em, teams.member(em, team, command.userId()), baseUrl);
            }
            case "status" -> {
                return status(em, teams.member(em, team, command.userId()), baseUrl, now);
            }
            case "workspace" -> {
                return workspace(em, teams.member(em, team, command.userId()), command, words, now);
            }
            default -> {
                return "Unknown command `" + RunMessage.escape(clip(verb, 40)) + "`. " + USAGE;
            }
        }
    }

    private String run(EntityManager em, SlackTeams.Member member, Command command, String[] words, String baseUrl, Instant now) {
        if (words.length < 2 || words.length > 3) {
            return "Usage: `/ccp run RECIPE [WORKSPACE]` runs `.ccp/recipes/RECIPE.json` on the runner of the workspace.";
        }
        String workspace = words.length == 3 ? words[2] : teams.channelWorkspace(em, member.team().id(), command.channelId()).orElse(null);
        if (workspace == null) {
            return "Name the workspace: `/ccp run " + RunMessage.escape(clip(words[1], 100)) + " WORKSPACE`, or set this channel's with "
                    + "`/ccp workspace NAME`.";
        }
        RunView run = runs.start(em, member.principal(), member.org(), new RunRequest(clip(words[1], 100) + " from Slack",
                new WorkspaceRef(workspace, null, null, null), null, "chat", words[1]), now);
        String url = baseUrl + "runs/" + run.id();
        messages.show(em, run.id(), member.team().id(), command.channelId(), command.responseUrl(), url, now);
        boolean served = runners.list(em, member.org()).stream().anyMatch(r -> !r.revoked() && r.workspace().equals(workspace));
        return "Run " + run.id() + " queued for workspace `" + RunMessage.escape(workspace) + "`, follow it here: <" + url + "|" + run.id() + ">"
                + (served ? "" : ". No runner serves that workspace yet: register one with `ccp runner register --workspace "
                        + RunMessage.escape(workspace) + "` and start it.");
    }

    private String list(EntityManager em, SlackTeams.Member member, String baseUrl) {
        List<RunView> recent = runs.list(em, member.org(), null, 10);
        if (recent.isEmpty()) {
            return "No runs in " + member.org().slug() + " yet. Start one with `/ccp run RECIPE WORKSPACE`.";
        }
        StringBuilder out = new StringBuilder("Recent runs of " + member.org().slug() + ":");
        for (RunView run : recent) {
            out.append("\n• <").append(baseUrl).append("runs/").append(run.id()).append('|').append(run.id()).append("> ")
                    .append(RunMessage.escape(run.recipe() != null ? run.recipe() : run.title())).append(" in `")
                    .append(RunMessage.escape(run.workspace().name())).append("` — ").append(run.state())
                    .append(" (").append(RunMessage.escape(run.startedBy())).append(')');
        }
        return out.toString();
    }

    private String status(EntityManager em, SlackTeams.Member member, String baseUrl, Instant now) {
        LicenseService.Effective license = licenses.effective(member.org(), now, baseUrl);
        StringBuilder out = new StringBuilder(member.org().slug() + ": " + license.plan().title() + " plan, " + Accounts.seatsHeld(em, member.org().id())
                + " of " + license.seats() + " seats taken, " + license.state().replace('_', ' '));
        if (license.expiresAt() != null) {
            out.append(", until ").append(DAY.format(license.expiresAt()));
        }
        out.append('.');
        if (license.message() != null) {
            out.append(' ').append(RunMessage.escape(license.message()));
        }
        return out.append(" You are ").append(member.role().wire()).append('.').toString();
    }

    private String workspace(EntityManager em, SlackTeams.Member member, Command command, String[] words, Instant now) {
        if (words.length == 1) {
            return teams.channelWorkspace(em, member.team().id(), command.channelId())
                    .map(w -> "`/ccp run RECIPE` in this channel runs in workspace `" + RunMessage.escape(w) + "`.")
                    .orElse("This channel has no default workspace; an owner or admin sets it with `/ccp workspace NAME`.");
        }
        if (words.length > 2 || !WORKSPACE.matcher(words[1]).matches()) {
            return "Usage: `/ccp workspace NAME`, where NAME is a workspace's name (letters, digits, `.`, `_`, `/` and `-`).";
        }
        if (!member.role().manages()) {
            throw ProblemException.forbidden("only owners and admins of " + member.org().slug() + " set a channel's workspace");
        }
        teams.channelWorkspace(em, member.team(), command.channelId(), words[1], member.userId(), now);
        return "`/ccp run RECIPE` in this channel now runs in workspace `" + RunMessage.escape(words[1]) + "`.";
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
