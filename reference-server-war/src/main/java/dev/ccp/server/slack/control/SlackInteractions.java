package dev.ccp.server.slack.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.runs.control.Runs;
import dev.ccp.spi.wire.DecisionRequest;
import dev.ccp.spi.wire.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Presses of a run message's Approve and Reject buttons. A press is taken once (Slack's action
 * timestamp, per user), made as the Slack user's linked CCP account through the same
 * {@link Runs#decide} as the web and the CLI (so the same roles, the same first-decision-wins and the
 * same audit entry), and shows in the run's message when it is next updated. A press that changes
 * nothing gets an answer only its presser sees, through the press's response URL.
 */
public final class SlackInteractions {

    /** One button press of a {@code block_actions} payload. */
    public record Press(String teamId, String userId, String actionId, String value, String actionTs, String responseUrl) {
    }

    private final SlackTeams teams;
    private final SlackMessages messages;
    private final Runs runs;

    public SlackInteractions(SlackTeams teams, SlackMessages messages, Runs runs) {
        this.teams = teams;
        this.messages = messages;
        this.runs = runs;
    }

    /**
     * The presses of an interaction's form ({@code payload=} JSON); none for kinds of interaction the
     * app does not use; 400 when it is not Slack's shape.
     */
    public static List<Press> presses(Map<String, String> form) {
        String payload = form.get("payload");
        if (payload == null) {
            throw ProblemException.badRequest("not a Slack interaction: the payload field is missing");
        }
        JsonNode root;
        try {
            root = Json.strict().readTree(payload);
        } catch (IOException e) {
            throw ProblemException.badRequest("not a Slack interaction: the payload is not JSON");
        }
        if (root == null || !root.isObject() || !root.path("type").isTextual()) {
            throw ProblemException.badRequest("not a Slack interaction: the payload has no type");
        }
        if (!"block_actions".equals(root.get("type").asText())) {
            return List.of();
        }
        String team = root.path("team").path("id").asText(root.path("user").path("team_id").asText(""));
        String user = root.path("user").path("id").asText("");
        if (!team.matches("[A-Z0-9]{1,32}") || !user.matches("[A-Z0-9]{1,32}") || !root.path("actions").isArray()) {
            throw ProblemException.badRequest("not a Slack interaction: team.id, user.id and actions are required");
        }
        List<Press> presses = new ArrayList<>();
        for (JsonNode action : root.get("actions")) {
            presses.add(new Press(team, user, action.path("action_id").asText(""), action.path("value").asText(""),
                    action.path("action_ts").asText(""), root.path("response_url").asText(null)));
        }
        return presses;
    }

    /** Decides as the press says, or answers its presser why not. */
    public void press(Tx tx, Press press, Instant now) {
        String decision = RunMessage.APPROVE.equals(press.actionId()) ? "approve" : RunMessage.REJECT.equals(press.actionId()) ? "reject" : null;
        int colon = press.value().lastIndexOf(':');
        if (decision == null || colon < 1 || !press.value().substring(colon + 1).matches("[0-9]{1,4}")) {
            return; // not a button of ours
        }
        String runId = press.value().substring(0, colon);
        int step = Integer.parseInt(press.value().substring(colon + 1));
        try {
            tx.run(em -> {
                if (!SlackRequests.firstTime(em, "press:" + press.teamId() + ":" + press.userId() + ":" + press.actionTs() + ":"
                        + press.actionId() + ":" + press.value(), now)) {
                    return;
                }
                SlackTeams.Team team = teams.team(em, press.teamId()).orElseThrow(() -> ProblemException.notFound(
                        "CCP is no longer connected to this Slack workspace"));
                SlackTeams.Member member = teams.member(em, team, press.userId());
                runs.decide(em, member.principal(), member.org(), runId, step, new DecisionRequest(decision, null, "chat"), now);
            });
        } catch (ProblemException e) {
            tx.run(em -> messages.reply(em, press.responseUrl(), SlackMessages.ephemeral(SlackMessages.sentence(e)), now));
        }
    }
}
