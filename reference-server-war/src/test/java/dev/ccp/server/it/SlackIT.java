package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccp.server.slack.control.SlackRequests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Slack app end to end, against {@link FakeSlack}: installed through OAuth v2 by an org's owner,
 * people linked by signing in on the web, {@code /ccp run} queued from a channel and carried out by
 * a real {@code ccp runner}, its message kept current, and its waiting step decided with a button.
 * Requests are signed as Slack signs them, from Slack's published examples.
 */
class SlackIT extends ServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SlackRequests SLACK = new SlackRequests(FakeSlack.SIGNING_SECRET);
    private static final Pattern LINK = Pattern.compile("<(http[^|>]+/slack/link/[^|>]+)\\|");
    private static FakeSlack slack;

    @BeforeAll
    static void startSlack() throws IOException {
        slack = new FakeSlack();
    }

    @AfterAll
    static void stopSlack() {
        slack.close();
    }

    /** An org with its Slack workspace connected, and Slack users linked to its admin and its member. */
    record Workspace(RunsIT.Team team, PageSession owner, String teamId, String adminUser, String memberUser) {
    }

    private Workspace connected(String name, String teamId) {
        RunsIT.Team team = RunsIT.Team.create(http(), name);
        Http http = team.http();
        PageSession owner = PageSession.signIn(http, team.ownerLogin(), team.org());
        slack.installTeam(teamId, "Slack of " + name);
        install(http, owner, "slack-installed");
        assertThat(owner.get("admin/slack").body()).contains("Slack of " + name, teamId);
        String adminUser = "UADM" + teamId.substring(1);
        String memberUser = "UMEM" + teamId.substring(1);
        link(http, teamId, adminUser, PageSession.signIn(http, login(http, team.admin()), team.org()));
        link(http, teamId, memberUser, PageSession.signIn(http, team.memberLogin(), team.org()));
        return new Workspace(team, owner, teamId, adminUser, memberUser);
    }

    /** Adds the app to Slack from the admin page and follows Slack back; answers where the install ended. */
    private static void install(Http http, PageSession owner, String notice) {
        HttpResponse<String> hop = owner.post("admin/slack", "admin/slack/install");
        assertThat(hop.statusCode()).as(hop.body()).isEqualTo(200);
        Matcher refresh = Pattern.compile("url=([^\"]+)\"").matcher(hop.body());
        assertThat(refresh.find()).as(hop.body()).isTrue();
        String authorize = refresh.group(1).replace("&#61;", "=").replace("&amp;", "&");
        assertThat(authorize).startsWith(slack.authorizeUrl()).contains("scope=commands%2Cchat%3Awrite");
        String signin = hop.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("ccp_signin=")).findFirst()
                .orElseThrow().split(";", 2)[0];
        HttpResponse<String> approved = send(HttpClient.newHttpClient(), HttpRequest.newBuilder(URI.create(authorize)).GET());
        assertThat(approved.statusCode()).isEqualTo(302);
        String callback = approved.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> back = http.send(HttpRequest.newBuilder(URI.create(callback)).header("Cookie", owner.cookie + "; " + signin).GET());
        assertThat(back.statusCode()).as(back.body()).isEqualTo(303);
        assertThat(back.headers().firstValue("Location").orElseThrow()).endsWith("/admin/slack?done=" + notice);
    }

    /** {@code /ccp link} from a Slack user, and the link opened and confirmed by the person signed in on the web. */
    private void link(Http http, String teamId, String slackUser, PageSession person) {
        JsonNode answer = Http.body(command(http, teamId, slackUser, "CLINKS", "link", null));
        Matcher link = LINK.matcher(answer.get("text").asText());
        assertThat(link.find()).as(answer.toString()).isTrue();
        assertThat(link.group(1)).startsWith(http.base());
        String path = link.group(1).substring(http.base().length());
        HttpResponse<String> page = person.get(path);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("Link my Slack account");
        HttpResponse<String> linked = person.post(path, path);
        assertThat(linked.statusCode()).as(linked.body()).isEqualTo(200);
        assertThat(linked.body()).contains("now acts as");
        assertThat(person.get(path).statusCode()).as("a link works once").isEqualTo(410);
    }

    @Test
    void aRunStartedInSlackShowsItsProgressAndTheLinkedAdminsButtonPressApprovesItUntilItCommits(@TempDir Path temp) throws Exception {
        Workspace w = connected("slack-e2e", "T0E2E0001");
        Http http = w.team().http();
        Path repo = Files.createDirectories(temp.resolve("shipyard"));
        git(repo, "init", "-q", "-b", "main");
        git(repo, "config", "user.email", "runner@example.com");
        git(repo, "config", "user.name", "Runner");
        Files.createDirectories(repo.resolve(".ccp/recipes"));
        Files.writeString(repo.resolve(".ccp/recipes/ship.json"), "{\"title\":\"Ship\",\"steps\":[{\"note\":\"scaling up\"},"
                + "{\"write\":\"deploy/app.yaml\",\"content\":\"replicas: 3\\n\"}]}");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "recipes");
        String runnerToken = Http.body(http.json("POST", "v1/runners", w.team().admin(), "{\"workspace\":\"shipyard\",\"name\":\"ci\"}"))
                .get("token").asText();

        // Slack waits three seconds for an answer: the server answers without waiting for Slack, which is held here.
        slack.hold("chat.postMessage");
        String answer;
        try {
            HttpResponse<String> queued = command(http, w.teamId(), w.adminUser(), "CSHIP", "run ship shipyard", slack.responseUrl());
            assertThat(queued.statusCode()).as(queued.body()).isEqualTo(200);
            answer = Http.body(queued).get("text").asText();
            assertThat(Http.body(queued).get("response_type").asText()).isEqualTo("ephemeral");
            assertThat(slack.messages("CSHIP")).as("nothing posted before the answer").isEmpty();
        } finally {
            slack.release("chat.postMessage");
        }
        Matcher id = Pattern.compile("Run (run_[0-9a-f]+) queued for workspace `shipyard`, follow it here: <http[^|]+/runs/run_").matcher(answer);
        assertThat(id.find()).as(answer).isTrue();
        String run = id.group(1);
        assertThat(Http.body(http.get("v1/runs/" + run, w.team().member())).get("source").asText()).isEqualTo("chat");
        await(() -> !slack.messages("CSHIP").isEmpty(), "the run's message in the channel");
        assertThat(slack.messages("CSHIP").get(0).text()).contains(run, "queued");

        Process runner = runner(temp, http, runnerToken, repo);
        try {
            await(() -> buttons(slack.messages("CSHIP").get(0)).contains(run + ":2"), () -> "Approve and Reject on the waiting step: "
                    + slack.messages("CSHIP") + "\n" + read(temp.resolve("runner.log")));
            FakeSlack.Message waiting = slack.messages("CSHIP").get(0);
            assertThat(waiting.text()).contains("waits for approval");
            assertThat(waiting.blocks().toString()).contains("deploy/app.yaml", "scaling up");

            String strangerUrl = slack.responseUrl();
            assertThat(press(http, w.teamId(), "USTRANGER", "ccp_approve", run + ":2", strangerUrl).statusCode()).isEqualTo(200);
            String memberUrl = slack.responseUrl();
            assertThat(press(http, w.teamId(), w.memberUser(), "ccp_approve", run + ":2", memberUrl).statusCode()).isEqualTo(200);
            await(() -> slack.responses(strangerUrl).size() == 1 && slack.responses(memberUrl).size() == 1, "the refusals");
            assertThat(slack.responses(strangerUrl).get(0).get("text").asText()).contains("/ccp link");
            assertThat(slack.responses(strangerUrl).get(0).get("response_type").asText()).isEqualTo("ephemeral");
            assertThat(slack.responses(memberUrl).get(0).get("text").asText()).contains("Only owners and admins");
            JsonNode still = Http.body(http.get("v1/runs/" + run, w.team().member())).get("steps").get(1);
            assertThat(still.get("state").asText()).as("presses without the right change nothing").isEqualTo("waiting");

            assertThat(press(http, w.teamId(), w.adminUser(), "ccp_approve", run + ":2", slack.responseUrl()).statusCode()).isEqualTo(200);
            assertThat(runner.waitFor(120, TimeUnit.SECONDS)).as("ccp runner start --once ends after its run").isTrue();
        } finally {
            runner.destroyForcibly();
        }
        JsonNode done = Http.body(http.get("v1/runs/" + run, w.team().member()));
        assertThat(done.get("state").asText()).as(Files.readString(temp.resolve("runner.log"))).isEqualTo("succeeded");
        JsonNode decision = done.get("steps").get(1).get("decision");
        assertThat(decision.get("via").asText()).isEqualTo("chat");
        assertThat(decision.get("by").asText()).isEqualTo(login(http, w.team().admin()));
        String commit = done.get("commit").asText();
        assertThat(commit).isEqualTo(git(repo, "rev-parse", "HEAD").strip());
        assertThat(Files.readString(repo.resolve("deploy/app.yaml"))).isEqualTo("replicas: 3\n");
        await(() -> slack.messages("CSHIP").get(0).text().contains("Committed " + commit.substring(0, 12)), "the commit in the message");
        FakeSlack.Message last = slack.messages("CSHIP").get(0);
        assertThat(slack.messages("CSHIP")).as("one message per run, updated in place").hasSize(1);
        assertThat(last.blocks().toString()).contains("*approved* by " + login(http, w.team().admin()) + " via chat").doesNotContain("ccp_approve");
        assertThat(buttons(last)).isEmpty();

        String lateUrl = slack.responseUrl();
        press(http, w.teamId(), w.adminUser(), "ccp_reject", run + ":2", lateUrl);
        await(() -> slack.responses(lateUrl).size() == 1, "the answer to a late press");
        assertThat(slack.responses(lateUrl).get(0).get("text").asText()).contains("already approved by");
        JsonNode audit = Http.body(http.get("v1/orgs/" + w.team().org() + "/audit?action=run.step.decided", w.team().owner()));
        assertThat(audit.toString()).contains(run, "chat");
        assertThat(slack.violations()).isEmpty();
    }

    @Test
    void forgedStaleReplayedAndMalformedRequestsAreRefusedAndChangeNothing() throws Exception {
        Workspace w = connected("slack-edge", "T0EDGE001");
        Http http = w.team().http();
        int before = runs(http, w);
        byte[] body = commandForm(w.teamId(), w.adminUser(), "CEDGE", "run ship shipyard", slack.responseUrl())
                .getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();

        UsageIT.assertProblem(post(http, "v1/slack/commands", body, String.valueOf(now), "v0=" + "0".repeat(64)), 401, "signature does not match");
        UsageIT.assertProblem(post(http, "v1/slack/commands", body, String.valueOf(now), new SlackRequests("another-secret").sign(now, body)), 401,
                "signature does not match");
        UsageIT.assertProblem(post(http, "v1/slack/commands", body, String.valueOf(now - 330), SLACK.sign(now - 330, body)), 401, "5 minutes");
        UsageIT.assertProblem(post(http, "v1/slack/commands", body, String.valueOf(now + 330), SLACK.sign(now + 330, body)), 401, "5 minutes");
        UsageIT.assertProblem(post(http, "v1/slack/commands", body, null, null), 401, "not signed");
        UsageIT.assertProblem(post(http, "v1/slack/commands", body, "yesterday", SLACK.sign(now, body)), 401, "seconds since 1970");
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("shipyard", "elsewhere").getBytes(StandardCharsets.UTF_8);
        UsageIT.assertProblem(post(http, "v1/slack/commands", tampered, String.valueOf(now), SLACK.sign(now, body)), 401, "signature does not match");
        assertThat(runs(http, w)).as("nothing refused was carried out").isEqualTo(before);

        HttpResponse<String> first = post(http, "v1/slack/commands", body, String.valueOf(now), SLACK.sign(now, body));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(runs(http, w)).isEqualTo(before + 1);
        UsageIT.assertProblem(post(http, "v1/slack/commands", body, String.valueOf(now), SLACK.sign(now, body)), 401, "received before");
        String again = commandForm(w.teamId(), w.adminUser(), "CEDGE", "run ship shipyard", slack.responseUrl())
                .replaceFirst("trigger_id=[^&]+", "trigger_id=" + triggerOf(new String(body, StandardCharsets.UTF_8)));
        assertThat(Http.body(signed(http, "v1/slack/commands", again)).get("text").asText()).as("Slack's retry of one command")
                .contains("received already");
        assertThat(runs(http, w)).as("replays and retries are carried out once").isEqualTo(before + 1);

        UsageIT.assertProblem(signed(http, "v1/slack/commands", "text=run+ship"), 400, "team_id");
        UsageIT.assertProblem(signed(http, "v1/slack/commands", "team_id=T0EDGE001&team_id=T0OTHER01&channel_id=C1&user_id=U1&command=%2Fccp"), 400,
                "twice");
        UsageIT.assertProblem(signed(http, "v1/slack/commands", "team_id=%zz"), 400, "form encoding");
        UsageIT.assertProblem(signed(http, "v1/slack/interactions", "payload=%7Bnot+json"), 400, "not JSON");
        UsageIT.assertProblem(signed(http, "v1/slack/interactions", "nothing=here"), 400, "payload");
        UsageIT.assertProblem(signed(http, "v1/slack/interactions", "payload=" + encode("{\"type\":\"block_actions\",\"actions\":[]}")), 400,
                "team.id");
        HttpResponse<String> nul = post(http, "v1/slack/commands", "text=%00".getBytes(StandardCharsets.UTF_8), String.valueOf(now),
                SLACK.sign(now, "text=%00".getBytes(StandardCharsets.UTF_8)));
        assertThat(nul.statusCode()).isEqualTo(400);
        assertThat(nul.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(runs(http, w)).isEqualTo(before + 1);

        // A button naming another org's run, pressed by this org's admin, finds nothing to decide there.
        Workspace other = connected("slack-edge-other", "T0EDGE002");
        String theirs = other.team().start(other.team().owner(), "all");
        assertThat(other.team().propose(other.team().owner(), theirs, RunsIT.DEPLOY).statusCode()).isEqualTo(201);
        String url = slack.responseUrl();
        press(http, w.teamId(), w.adminUser(), "ccp_approve", theirs + ":1", url);
        await(() -> slack.responses(url).size() == 1, "the answer to a press on another org's run");
        assertThat(slack.responses(url).get(0).get("text").asText()).contains("No run '" + theirs + "'");
        assertThat(Http.body(http.get("v1/runs/" + theirs, other.team().owner())).get("steps").get(0).get("state").asText())
                .isEqualTo("waiting");
        // A second org cannot take over a connected Slack workspace.
        slack.installTeam(w.teamId(), "Slack of slack-edge");
        install(http, other.owner(), "slack-taken");
        assertThat(w.owner().get("admin/slack").body()).contains(w.teamId());
        assertThat(slack.violations()).isEmpty();
    }

    @Test
    void commandsAnswerOnlyTheirSenderAndSayWhatToDo() {
        Workspace w = connected("slack-cmd", "T0CMD0001");
        Http http = w.team().http();
        assertThat(text(http, w.teamId(), "UANYONE", "help")).contains("/ccp run RECIPE");
        assertThat(text(http, w.teamId(), "UANYONE", "")).contains("/ccp run RECIPE");
        assertThat(text(http, w.teamId(), "UANYONE", "deploy everything")).startsWith("Unknown command `deploy`").contains("Usage:");
        assertThat(text(http, w.teamId(), "UANYONE", "runs")).contains("/ccp link");
        assertThat(text(http, "T0NOWHERE", "UANYONE", "runs")).contains("not connected", "/admin/slack");
        assertThat(text(http, w.teamId(), w.memberUser(), "status")).contains(w.team().org(), "Team plan", "You are member");
        assertThat(text(http, w.teamId(), w.memberUser(), "run")).startsWith("Usage: `/ccp run RECIPE [WORKSPACE]`");
        assertThat(text(http, w.teamId(), w.memberUser(), "run ship")).contains("Name the workspace");
        assertThat(text(http, w.teamId(), w.memberUser(), "workspace shipyard")).contains("Only owners and admins");
        assertThat(text(http, w.teamId(), w.adminUser(), "workspace shipyard")).contains("now runs in workspace `shipyard`");
        assertThat(text(http, w.teamId(), w.memberUser(), "workspace")).contains("workspace `shipyard`");
        String queued = text(http, w.teamId(), w.memberUser(), "run ship");
        assertThat(queued).contains("queued for workspace `shipyard`", "No runner serves that workspace yet");
        assertThat(text(http, w.teamId(), w.memberUser(), "run ../../etc")).contains("Recipe must name a file");
        assertThat(text(http, w.teamId(), w.memberUser(), "runs")).contains("ship", "shipyard", "queued");
        assertThat(w.owner().get("admin/slack").body()).contains("CCMD", "shipyard");
        assertThat(text(http, w.teamId(), w.memberUser(), "unlink")).contains("Unlinked");
        assertThat(text(http, w.teamId(), w.memberUser(), "runs")).contains("/ccp link");

        HttpResponse<String> removed = w.owner().post("admin/slack", "admin/slack/remove", "team", w.teamId());
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(303);
        assertThat(text(http, w.teamId(), w.adminUser(), "runs")).contains("not connected");
        PageSession member = PageSession.signIn(http, w.team().memberLogin(), w.team().org());
        assertThat(member.get("admin/slack").statusCode()).as("members do not manage Slack").isEqualTo(403);
    }

    @Test
    void theMessageIsCoalescedHonoursRetryAfterAndFallsBackToTheResponseUrlWithinItsLimits() throws Exception {
        Workspace w = connected("slack-limits", "T0LIM0001");
        Http http = w.team().http();
        String runner = Http.body(http.json("POST", "v1/runners", w.team().admin(), "{\"workspace\":\"limits\",\"name\":\"raw\"}"))
                .get("token").asText();

        // A channel the bot was not invited to: the run shows through the command's response URL instead.
        slack.notInChannel("CPRIVATE");
        String url = slack.responseUrl();
        assertThat(text(http, w.teamId(), w.adminUser(), "run ship limits", "CPRIVATE", url)).contains("queued");
        await(() -> slack.responses(url).size() == 1, "the run through the response URL");
        assertThat(slack.responses(url).get(0).get("response_type").asText()).isEqualTo("in_channel");
        String run = carryOut(http, runner, 12);
        await(() -> slack.responses(url).stream().anyMatch(r -> r.get("text").asText().contains("succeeded")), "the end, in the last use");
        assertThat(slack.responses(url).size()).as("Slack's five uses of a response URL").isLessThanOrEqualTo(5);
        assertThat(slack.responses(url).get(0).get("text").asText()).contains(run);

        // A channel where Slack asks the app to slow down: nothing is sent before Retry-After has passed.
        slack.rateLimitNext("chat.update", 2);
        String busyUrl = slack.responseUrl();
        assertThat(text(http, w.teamId(), w.adminUser(), "run ship limits", "CBUSY", busyUrl)).contains("queued");
        await(() -> !slack.messages("CBUSY").isEmpty(), "the message in the busy channel");
        String busy = carryOut(http, runner, 12);
        await(() -> slack.messages("CBUSY").get(0).text().contains("succeeded"), "the end, after the wait");
        assertThat(slack.messages("CBUSY").get(0).text()).contains(busy);
        assertThat(slack.calls("chat.update").stream().filter(c -> c.body().contains("\"CBUSY\"")).count())
                .as("coalesced: far fewer updates than the run's 16 events").isBetween(1L, 7L);
        assertThat(slack.responses(busyUrl)).as("the bot could post, so the response URL is unused").isEmpty();
        assertThat(slack.violations()).isEmpty();
    }

    /** Claims the queued run as a runner and reports progress lines in a burst, then finishes it. */
    private static String carryOut(Http http, String runner, int lines) {
        HttpResponse<String> claimed = http.send(HttpRequest.newBuilder(http.uri("v1/runners/claim")).header("Authorization", "Bearer " + runner)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(claimed.statusCode()).as(claimed.body()).isEqualTo(200);
        String run = Http.body(claimed).get("id").asText();
        for (int i = 1; i <= lines; i++) {
            assertThat(http.json("POST", "v1/runs/" + run + "/progress", runner, "{\"phase\":\"build\",\"message\":\"line " + i + "\"}")
                    .statusCode()).isEqualTo(200);
        }
        HttpResponse<String> finished = http.json("POST", "v1/runs/" + run + "/finish", runner, "{\"state\":\"succeeded\",\"commit\":\"0123456789abcdef\"}");
        assertThat(finished.statusCode()).as(finished.body()).isEqualTo(200);
        return run;
    }

    private static int runs(Http http, Workspace w) {
        return Http.body(http.get("v1/runs?limit=200", w.team().owner())).size();
    }

    private static String text(Http http, String teamId, String user, String text) {
        return text(http, teamId, user, text, "CCMD", null);
    }

    private static String text(Http http, String teamId, String user, String text, String channel, String responseUrl) {
        HttpResponse<String> answer = command(http, teamId, user, channel, text, responseUrl);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Http.body(answer).get("text").asText();
    }

    private static HttpResponse<String> command(Http http, String teamId, String user, String channel, String text, String responseUrl) {
        return signed(http, "v1/slack/commands", commandForm(teamId, user, channel, text, responseUrl));
    }

    /** Slack's published slash command, with this team, user, channel and text. */
    private static String commandForm(String teamId, String user, String channel, String text, String responseUrl) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : fixture("slash-command.txt").split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        form.put("team_id", teamId);
        form.put("channel_id", channel);
        form.put("user_id", user);
        form.put("command", "/ccp");
        form.put("text", text);
        form.put("response_url", responseUrl == null ? slack.responseUrl() : responseUrl);
        form.put("trigger_id", System.nanoTime() + "." + Math.abs(user.hashCode()) + "." + Long.toHexString(Double.doubleToLongBits(Math.random())));
        return Http.encode(form);
    }

    /** Slack's published block_actions payload, pressing one of our buttons. */
    private static HttpResponse<String> press(Http http, String teamId, String user, String actionId, String value, String responseUrl) {
        try {
            ObjectNode payload = (ObjectNode) JSON.readTree(fixture("block-actions.json"));
            ((ObjectNode) payload.get("team")).put("id", teamId);
            ((ObjectNode) payload.get("user")).put("id", user).put("team_id", teamId);
            payload.put("response_url", responseUrl);
            ObjectNode action = (ObjectNode) payload.get("actions").get(0);
            action.put("action_id", actionId).put("value", value).put("block_id", "step").put("action_ts", Instant.now().toEpochMilli() / 1000.0 + "");
            return signed(http, "v1/slack/interactions", "payload=" + encode(payload.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> signed(Http http, String path, String form) {
        byte[] body = form.getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        return post(http, path, body, String.valueOf(now), SLACK.sign(now, body));
    }

    private static HttpResponse<String> post(Http http, String path, byte[] body, String timestamp, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(http.uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (timestamp != null) {
            request.header("X-Slack-Request-Timestamp", timestamp).header("X-Slack-Signature", signature);
        }
        return http.send(request);
    }

    private static List<String> buttons(FakeSlack.Message message) {
        List<String> values = new ArrayList<>();
        if (message.blocks() != null) {
            message.blocks().findParents("action_id").forEach(b -> values.add(b.path("value").asText()));
        }
        return values;
    }

    private static String triggerOf(String form) {
        Matcher m = Pattern.compile("trigger_id=([^&]+)").matcher(form);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String login(Http http, String token) {
        return Http.body(http.get("v1/me", token)).get("login").asText();
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String fixture(String name) {
        try (InputStream in = SlackIT.class.getResourceAsStream("/slack/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(Supplier<Boolean> condition, String what) {
        await(condition, () -> what);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static void await(Supplier<Boolean> condition, Supplier<String> what) {
        for (int i = 0; i < 600; i++) {
            if (Boolean.TRUE.equals(condition.get())) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertThat(condition.get()).as("waited a minute for " + what.get()).isTrue();
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Process runner(Path temp, Http http, String token, Path repo) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                System.getProperty("ccp.cli.jar"), "runner", "start", "--workspace", repo.toString(), "--once")
                .redirectErrorStream(true).redirectOutput(temp.resolve("runner.log").toFile());
        builder.environment().put("CCP_HOME", Files.createDirectories(temp.resolve("runner-home")).toString());
        builder.environment().put("CCP_SERVER", http.base());
        builder.environment().put("CCP_RUNNER_TOKEN", token);
        return builder.start();
    }

    private static String git(Path repo, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor()).as(out).isZero();
        return out;
    }
}
