package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.spi.wire.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs over HTTP: the policy check, decisions (the first wins), events, limits and tenant isolation. */
class RunsIT extends ServerIT {

    static final String POLICY = "{\"schema\":\"ccp.policy/v1\",\"commands\":{\"deny\":[\"rm -rf *\"]},"
            + "\"paths\":{\"deny\":[\"secrets/**\"]},\"review\":{\"enabled\":true,\"paths\":[\"deploy/**\"]}}";

    /** An org on the team plan with its owner, an admin and a member, and its prod policy. */
    record Team(Http http, String org, String owner, String admin, String member, String ownerLogin, String memberLogin) {

        static Team create(Http http, String name) {
            String ownerLogin = Logins.unique(name + "-owner");
            String owner = Logins.accessToken(http, ownerLogin, null);
            String org = Http.body(http.get("v1/me", owner)).get("org").asText();
            http.json("POST", "v1/operator/orgs/" + org + "/license", OPERATOR, "{\"plan\":\"team\"}");
            String admin = Logins.unique(name + "-admin");
            String member = Logins.unique(name + "-member");
            assertThat(http.json("POST", "v1/orgs/" + org + "/members", owner, "{\"login\":\"" + admin + "\",\"role\":\"admin\"}")
                    .statusCode()).isEqualTo(201);
            assertThat(http.json("POST", "v1/orgs/" + org + "/members", owner, "{\"login\":\"" + member + "\",\"role\":\"member\"}")
                    .statusCode()).isEqualTo(201);
            assertThat(http.json("POST", "v1/admin/policies/dev", owner, POLICY).statusCode()).isEqualTo(201);
            assertThat(http.json("POST", "v1/admin/policies/prod/promote", owner, "{\"version\":1}").statusCode()).isEqualTo(201);
            return new Team(http, org, owner, Logins.accessToken(http, admin, org), Logins.accessToken(http, member, org), ownerLogin,
                    member);
        }

        String start(String token, String approval) {
            HttpResponse<String> started = http.json("POST", "v1/runs", token, "{\"title\":\"Tidy up\",\"approval\":\"" + approval
                    + "\",\"source\":\"terminal\",\"workspace\":{\"root\":\"/src/shop\",\"branch\":\"main\",\"head\":\"0123abc\"}}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
            return Http.body(started).get("id").asText();
        }

        HttpResponse<String> propose(String token, String run, String step) {
            return http.json("POST", "v1/runs/" + run + "/steps", token, step);
        }

        HttpResponse<String> decide(String token, String run, int n, String decision) {
            return http.json("POST", "v1/runs/" + run + "/steps/" + n + "/decision", token, decision);
        }
    }

    static final String DEPLOY = "{\"kind\":\"change\",\"files\":{\"deploy/app.yaml\":\"replicas: 3\\n\"},"
            + "\"before\":{\"deploy/app.yaml\":\"replicas: 2\\n\"}}";

    @Test
    void everyStepIsCheckedAgainstThePolicyAndAWaitingStepIsDecidedOnce() throws Exception {
        Team team = Team.create(http(), "runs");
        Http http = team.http();
        String run = team.start(team.member(), "policy");

        JsonNode denied = Http.body(team.propose(team.member(), run, "{\"kind\":\"command\",\"argv\":[\"rm\",\"-rf\",\"build\"]}"));
        assertThat(denied.get("n").asInt()).isEqualTo(1);
        assertThat(denied.get("verdict").asText()).isEqualTo("denied");
        assertThat(denied.get("reason").asText()).contains("rm -rf build");
        assertThat(Http.body(team.propose(team.member(), run, "{\"kind\":\"change\",\"files\":{\"secrets/key\":\"x\"}}"))
                .get("state").asText()).isEqualTo("denied");

        JsonNode waiting = Http.body(team.propose(team.member(), run, DEPLOY));
        assertThat(waiting.get("state").asText()).isEqualTo("waiting");
        assertThat(waiting.get("diff").asText()).contains("-replicas: 2", "+replicas: 3", "--- a/deploy/app.yaml");
        JsonNode allowed = Http.body(team.propose(team.member(), run, "{\"kind\":\"command\",\"argv\":[\"make\",\"test\"]}"));
        assertThat(allowed.get("state").asText()).isEqualTo("ready");
        JsonNode read = Http.body(http.get("v1/runs/" + run, team.owner()));
        assertThat(read.get("state").asText()).isEqualTo("waiting");
        long seq = read.get("seq").asLong();

        // A follower waits on the run's events; the decision wakes it.
        CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> http.send(HttpRequest.newBuilder(
                http.uri("v1/runs/" + run + "/events?after=" + seq)).header("Authorization", "Bearer " + team.admin())
                .header("Prefer", "wait=50").timeout(Duration.ofSeconds(90))));
        Thread.sleep(500);
        assertThat(held).isNotDone();
        HttpResponse<String> approved = team.decide(team.admin(), run, 3,
                "{\"decision\":\"approve\",\"via\":\"editor\",\"files\":{\"deploy/app.yaml\":\"replicas: 4\\n\"}}");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(Http.body(approved).get("decision").get("decision").asText()).isEqualTo("edit");
        JsonNode woken = Http.body(held.get(30, TimeUnit.SECONDS));
        assertThat(woken.get("events").findValuesAsText("type")).contains("decided");
        assertThat(woken.get("state").asText()).isEqualTo("running");

        UsageIT.assertProblem(team.decide(team.owner(), run, 3, "{\"decision\":\"reject\"}"), 409, "was already approved with edits by");
        UsageIT.assertProblem(team.decide(team.owner(), run, 4, "{\"decision\":\"approve\"}"), 409, "does not wait for a decision");
        UsageIT.assertProblem(team.decide(team.owner(), run, 1, "{\"decision\":\"approve\"}"), 409, "denied");

        assertThat(http.json("POST", "v1/runs/" + run + "/steps/4/outcome", team.member(),
                "{\"state\":\"done\",\"exit_code\":0,\"output\":\"ok\\n\"}").statusCode()).isEqualTo(200);
        UsageIT.assertProblem(http.json("POST", "v1/runs/" + run + "/steps/1/outcome", team.member(), "{\"state\":\"done\"}"),
                409, "only a ready step");
        assertThat(http.json("POST", "v1/runs/" + run + "/progress", team.member(), "{\"phase\":\"commit\",\"message\":\"writing\"}")
                .statusCode()).isEqualTo(200);
        HttpResponse<String> finished = http.json("POST", "v1/runs/" + run + "/finish", team.member(),
                "{\"state\":\"succeeded\",\"commit\":\"89ABCDEF0123\"}");
        assertThat(finished.statusCode()).as(finished.body()).isEqualTo(200);
        UsageIT.assertProblem(http.json("POST", "v1/runs/" + run + "/progress", team.member(), "{\"phase\":\"again\"}"), 409, "has ended");

        JsonNode story = Http.body(http.get("v1/runs/" + run, team.member()));
        assertThat(story.get("state").asText()).isEqualTo("succeeded");
        assertThat(story.get("commit").asText()).isEqualTo("89abcdef0123");
        assertThat(story.get("steps").findValuesAsText("state")).containsExactly("denied", "denied", "ready", "done");
        assertThat(story.get("steps").get(2).get("decision").get("via").asText()).isEqualTo("editor");
        assertThat(story.get("steps").get(3).get("output").asText()).isEqualTo("ok\n");
        JsonNode events = Http.body(http.get("v1/runs/" + run + "/events?after=0", team.member()));
        assertThat(events.get("events").findValuesAsText("type"))
                .startsWith("created", "step").contains("decided", "outcome", "progress", "committed").endsWith("state");
        assertThat(events.get("state").asText()).isEqualTo("succeeded");
        JsonNode audit = Http.body(http.get("v1/orgs/" + team.org() + "/audit?action=run.step.decided", team.owner()));
        assertThat(audit.toString()).contains(run);
        assertThat(Http.body(http.get("v1/runs?state=succeeded", team.member())).findValuesAsText("id")).contains(run);
    }

    @Test
    void ofConcurrentDecisionsOnOneStepExactlyOneWins() throws Exception {
        Team team = Team.create(http(), "race");
        String run = team.start(team.member(), "policy");
        assertThat(team.propose(team.member(), run, DEPLOY).statusCode()).isEqualTo(201);
        List<String> tokens = List.of(team.owner(), team.admin(), team.member());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String token = tokens.get(i % 3);
                String decision = i % 2 == 0 ? "approve" : "reject";
                answers.add(pool.submit(() -> {
                    go.await();
                    return team.decide(token, run, 1, "{\"decision\":\"" + decision + "\"}");
                }));
            }
            go.countDown();
            Map<Integer, Long> statuses = new java.util.TreeMap<>();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
                statuses.merge(response.statusCode(), 1L, Long::sum);
                if (response.statusCode() == 409) {
                    assertThat(Http.body(response).get("detail").asText()).contains("was already", "the first decision stands");
                }
            }
            assertThat(statuses).as("one decision wins, the others are told who won").isEqualTo(Map.of(200, 1L, 409, 5L));
        } finally {
            pool.shutdownNow();
        }
        JsonNode step = Http.body(team.http().get("v1/runs/" + run, team.member())).get("steps").get(0);
        assertThat(step.get("decision")).isNotNull();
        JsonNode decided = Http.body(team.http().get("v1/runs/" + run + "/events?after=0", team.member())).get("events");
        assertThat(decided.findValuesAsText("type").stream().filter("decided"::equals).count()).isEqualTo(1);
    }

    @Test
    void membersFollowRunsButDecideOnlyTheirOwnAndOtherOrgsSeeNothing() {
        Team team = Team.create(http(), "scope");
        Http http = team.http();
        String ownersRun = team.start(team.owner(), "all");
        assertThat(Http.body(team.propose(team.owner(), ownersRun, "{\"kind\":\"note\",\"text\":\"hello\"}")).get("state").asText())
                .isEqualTo("ready");
        assertThat(Http.body(team.propose(team.owner(), ownersRun, "{\"kind\":\"command\",\"argv\":[\"ls\"]}")).get("state").asText())
                .as("approval all asks about every command").isEqualTo("waiting");
        assertThat(http.get("v1/runs/" + ownersRun, team.member()).statusCode()).isEqualTo(200);
        UsageIT.assertProblem(team.decide(team.member(), ownersRun, 2, "{\"decision\":\"approve\"}"), 403, "decide its steps");
        UsageIT.assertProblem(team.propose(team.admin(), ownersRun, "{\"kind\":\"note\",\"text\":\"x\"}"), 403,
                "only the tool that carries out");

        Team other = Team.create(http(), "other");
        String stranger = other.owner();
        String path = "v1/runs/" + ownersRun;
        UsageIT.assertProblem(http.get(path, stranger), 404, "no run");
        UsageIT.assertProblem(http.get(path + "/events?after=0", stranger), 404, "no run");
        UsageIT.assertProblem(team.decide(stranger, ownersRun, 2, "{\"decision\":\"approve\"}"), 404, "no run");
        UsageIT.assertProblem(team.propose(stranger, ownersRun, "{\"kind\":\"note\",\"text\":\"x\"}"), 404, "no run");
        UsageIT.assertProblem(http.json("POST", path + "/steps/1/outcome", stranger, "{\"state\":\"done\"}"), 404, "no run");
        UsageIT.assertProblem(http.json("POST", path + "/progress", stranger, "{\"phase\":\"x\"}"), 404, "no run");
        UsageIT.assertProblem(http.json("POST", path + "/finish", stranger, "{\"state\":\"failed\"}"), 404, "no run");
        assertThat(Http.body(http.get("v1/runs", stranger)).findValuesAsText("id")).doesNotContain(ownersRun);
        assertThat(http.get(path, null).statusCode()).isEqualTo(401);
    }

    @Test
    void badStepsAreRefusedNamingWhatIsWrongAndNothingIsKept() {
        Team team = Team.create(http(), "limits");
        Http http = team.http();
        String run = team.start(team.owner(), "policy");
        UsageIT.assertProblem(team.propose(team.owner(), run, "{\"kind\":\"shell\"}"), 400, "kind must be change, command or note");
        UsageIT.assertProblem(team.propose(team.owner(), run, "{\"kind\":\"command\",\"argv\":[\"ls\"],\"files\":{\"a\":\"b\"}}"), 400,
                "a command carries argv and cwd only");
        UsageIT.assertProblem(team.propose(team.owner(), run, "{\"kind\":\"note\",\"text\":\"a\\u0000b\"}"), 400, "NUL");
        assertThat(team.propose(team.owner(), run, "{\"kind\":\"note\",\"text\":5}").statusCode()).isEqualTo(400);
        assertThat(team.propose(team.owner(), run, "{\"kind\":\"note\",\"text\":\"a\",\"text\":\"b\"}").statusCode()).isEqualTo(400);
        UsageIT.assertProblem(team.propose(team.owner(), run, "{\"kind\":\"change\",\"files\":{\"a\":\"x\"},\"before\":{\"b\":\"y\"}}"), 400,
                "before.b is not one of the files");
        String big = "x".repeat(1024 * 1024 + 1);
        UsageIT.assertProblem(team.propose(team.owner(), run, "{\"kind\":\"change\",\"files\":{\"big.txt\":\"" + big + "\"}}"), 413,
                "at most 1048576");
        UsageIT.assertProblem(http.get("v1/runs/" + run + "/events?after=soon", team.owner()), 400, "after must be a whole number");
        UsageIT.assertProblem(http.json("POST", "v1/runs", team.owner(), "{\"title\":\"x\"}"), 400, "workspace is required");
        UsageIT.assertProblem(http.json("POST", "v1/runs", team.owner(), "{\"title\":\"x\",\"workspace\":{\"name\":\"w\"},\"approval\":\"some\"}"),
                400, "approval must be all, policy or none");
        assertThat(Http.body(http.get("v1/runs/" + run, team.owner())).get("steps")).as("nothing refused was kept").isEmpty();
    }

    @Test
    void runsStartedPerOrgAndMinuteAreLimited() throws Exception {
        Team team = Team.create(http(), "rate");
        Http http = team.http();
        // The limit counts per minute of the clock: start early in one, so that all the starts fall in it.
        int second = java.time.LocalTime.now(java.time.ZoneOffset.UTC).getSecond();
        if (second > 40) {
            Thread.sleep((61 - second) * 1000L);
        }
        int accepted = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 40 && refused == null; i++) {
            HttpResponse<String> started = http.json("POST", "v1/runs", team.owner(), "{\"title\":\"t\",\"workspace\":{\"name\":\"w\"}}");
            if (started.statusCode() == 429) {
                refused = started;
            } else {
                assertThat(started.statusCode()).isEqualTo(201);
                accepted++;
            }
        }
        assertThat(refused).as("runs per org per minute are limited").isNotNull();
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        UsageIT.assertProblem(refused, 429, "started more than " + RUNS_PER_MINUTE + " runs this minute");
        assertThat(accepted).isEqualTo(RUNS_PER_MINUTE);
    }

    @Test
    void serverSentEventsCarryTheEventsFromLastEventIdAndEndWithTheRun() throws Exception {
        Team team = Team.create(http(), "stream");
        Http http = team.http();
        String run = team.start(team.owner(), "policy");
        team.propose(team.owner(), run, "{\"kind\":\"note\",\"text\":\"one\"}");
        CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> {
            try {
                HttpResponse<java.util.stream.Stream<String>> response = http.client().send(HttpRequest.newBuilder(
                                http.uri("v1/runs/" + run + "/events")).header("Authorization", "Bearer " + team.member())
                        .header("Accept", "text/event-stream").header("Last-Event-ID", "1").timeout(Duration.ofSeconds(90)).build(),
                        HttpResponse.BodyHandlers.ofLines());
                assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
                return response.body().collect(Collectors.toList());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(500);
        team.propose(team.owner(), run, "{\"kind\":\"note\",\"text\":\"two\"}");
        http.json("POST", "v1/runs/" + run + "/finish", team.owner(), "{\"state\":\"cancelled\",\"message\":\"enough\"}");
        List<String> stream = lines.get(60, TimeUnit.SECONDS);
        List<Long> ids = stream.stream().filter(l -> l.startsWith("id:")).map(l -> Long.parseLong(l.substring(3).strip())).toList();
        assertThat(ids).as(String.join("\n", stream)).first().isEqualTo(2L);
        assertThat(ids).isSorted();
        String data = stream.stream().filter(l -> l.startsWith("data:")).collect(Collectors.joining("\n"));
        assertThat(data).contains("two", "cancelled").doesNotContain("\"seq\":1,");
        JsonNode last = Json.lenient().readTree(stream.stream().filter(l -> l.startsWith("data:")).reduce((a, b) -> b).orElseThrow()
                .substring(5));
        assertThat(last.get("state").asText()).isEqualTo("cancelled");
    }

    @Test
    void aWaitingStepIsApprovedOnItsPageWithoutJavaScriptAndOnlyOnce() {
        Team team = Team.create(http(), "pages");
        Http http = team.http();
        String member = Logins.unique("pages-reviewer");
        String run = team.start(team.owner(), "policy");
        assertThat(team.propose(team.owner(), run, DEPLOY).statusCode()).isEqualTo(201);
        assertThat(team.propose(team.owner(), run, "{\"kind\":\"command\",\"argv\":[\"make\",\"<b>\"]}").statusCode()).isEqualTo(201);

        PageSession owner = PageSession.signIn(http, ownerLogin(http, team.owner()), team.org());
        HttpResponse<String> list = owner.get("runs");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("Tidy up", run);
        HttpResponse<String> page = owner.get("runs/" + run);
        assertThat(page.body()).contains("<span class=\"del\">-replicas: 2</span>", "<span class=\"add\">+replicas: 3</span>")
                .contains("make &lt;b&gt;").doesNotContain("make <b>").contains("Approve", "Reject");

        HttpResponse<String> forged = owner.postWithToken("runs/" + run + "/steps/1/decision", "forged", "decision", "approve");
        assertThat(forged.statusCode()).isEqualTo(403);
        HttpResponse<String> approved = owner.post("runs/" + run, "runs/" + run + "/steps/1/decision", "decision", "approve");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(303);
        assertThat(approved.headers().firstValue("Location").orElseThrow()).endsWith("/runs/" + run + "?done=approved");
        assertThat(owner.get("runs/" + run + "?done=approved").body()).contains("Step approved", "approved by")
                .doesNotContain("Approve<span class=\"sr\"> step 1");
        JsonNode step = Http.body(http.get("v1/runs/" + run, team.member())).get("steps").get(0);
        assertThat(step.get("decision").get("via").asText()).isEqualTo("web");
        HttpResponse<String> again = owner.postWithToken("runs/" + run + "/steps/1/decision",
                csrf(owner.get("runs").body()), "decision", "reject");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("already approved by");

        Team other = Team.create(http, "pages-other");
        PageSession stranger = PageSession.signIn(http, ownerLogin(http, other.owner()), other.org());
        assertThat(stranger.get("runs/" + run).statusCode()).isEqualTo(404);
        assertThat(stranger.get("runs").body()).doesNotContain(run);
        assertThat(new PageSession(http, "ccp_session=nobody").get("runs/" + run).statusCode()).isEqualTo(303);
    }

    private static String ownerLogin(Http http, String token) {
        return Http.body(http.get("v1/me", token)).get("login").asText();
    }

    private static String csrf(String html) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void ccpRunRefusesTheDeniedCommandWaitsForTheWebAndCommitsTheApprovedChange(@TempDir Path temp) throws Exception {
        Team team = Team.create(http(), "e2e");
        Http http = team.http();
        Path repo = Files.createDirectories(temp.resolve("shop"));
        git(repo, "init", "-q", "-b", "main");
        git(repo, "config", "user.email", "dev@example.com");
        git(repo, "config", "user.name", "Dev");
        Files.writeString(repo.resolve("README.md"), "shop\n");
        Files.createDirectories(repo.resolve("deploy"));
        Files.writeString(repo.resolve("deploy/app.yaml"), "replicas: 2\n");
        Files.createDirectories(repo.resolve("important"));
        Files.writeString(repo.resolve("important/keep.txt"), "keep\n");
        Files.createDirectories(repo.resolve(".ccp/recipes"));
        Files.writeString(repo.resolve(".ccp/recipes/scale.json"), "{\"title\":\"Scale the shop\",\"steps\":["
                + "{\"run\":[\"git\",\"status\",\"--short\"]},"
                + "{\"write\":\"deploy/app.yaml\",\"content\":\"replicas: 3\\n\"},"
                + "{\"run\":[\"rm\",\"-rf\",\"important\"]}]}");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "start");

        Cli ccp = new Cli(Files.createDirectories(temp.resolve("home")), http.base());
        CliEndToEndIT.loggedIn(CliEndToEndIT.login(ccp, http, team.memberLogin(), "--org", team.org()));
        CompletableFuture<Cli.Result> ran = CompletableFuture.supplyAsync(() -> ccp.run("run", "scale", "--detach", "-C", repo.toString()));

        String run = null;
        for (int i = 0; i < 300 && run == null; i++) {
            JsonNode waiting = Http.body(http.get("v1/runs?state=waiting", team.owner()));
            run = waiting.isEmpty() ? null : waiting.get(0).get("id").asText();
            if (run == null) {
                assertThat(ran).as("ccp run ended before its change waited").isNotDone();
                Thread.sleep(100);
            }
        }
        assertThat(run).as("the change under deploy/ waits for a person").isNotNull();
        assertThat(Files.readString(repo.resolve("deploy/app.yaml"))).as("nothing is written before the approval").isEqualTo("replicas: 2\n");

        approveOnTheWeb(http, team, run);
        Cli.Result result = ran.get(120, TimeUnit.SECONDS);
        assertThat(result.exit()).as(result.out() + result.err()).isEqualTo(12);
        assertThat(result.out() + result.err()).contains("rm -rf important");
        assertThat(Files.exists(repo.resolve("important/keep.txt"))).as("the denied command never ran").isTrue();
        assertThat(Files.readString(repo.resolve("deploy/app.yaml"))).isEqualTo("replicas: 3\n");
        String message = git(repo, "log", "-1", "--format=%B");
        assertThat(message).startsWith("Scale the shop").contains("Ccp-Run: " + run);
        assertThat(git(repo, "show", "--name-only", "--format=", "HEAD").strip()).isEqualTo("deploy/app.yaml");

        Cli.Result shown = ccp.run("runs", "show", run);
        assertThat(shown.exit()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("Scale the shop", "denied", "approved", "web", git(repo, "rev-parse", "--short", "HEAD").strip());
        JsonNode story = Http.body(http.get("v1/runs/" + run, team.member()));
        assertThat(story.get("commit").asText()).isEqualTo(git(repo, "rev-parse", "HEAD").strip());
        assertThat(story.get("steps").findValuesAsText("state")).containsExactly("done", "done", "denied");
    }

    /** The owner signs in on the run's page in chromium without JavaScript and approves; over plain HTTP without chromium. */
    private static void approveOnTheWeb(Http http, Team team, String run) {
        if (!Files.isExecutable(DashboardBrowserIT.CHROMIUM) || !Files.isExecutable(DashboardBrowserIT.DRIVER)) {
            PageSession owner = PageSession.signIn(http, team.ownerLogin(), team.org());
            assertThat(owner.post("runs/" + run, "runs/" + run + "/steps/2/decision", "decision", "approve").statusCode()).isEqualTo(303);
            return;
        }
        org.openqa.selenium.WebDriver browser = DashboardBrowserIT.chromium();
        try {
            org.openqa.selenium.support.ui.WebDriverWait wait = new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get(http.base() + "runs/" + run);
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.urlContains("/login"));
            browser.findElement(org.openqa.selenium.By.name("login")).sendKeys(team.ownerLogin());
            browser.findElement(org.openqa.selenium.By.name("org")).sendKeys(team.org());
            browser.findElement(org.openqa.selenium.By.cssSelector("button[value=stand-in]")).click();
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.urlContains("/runs/" + run));
            assertThat(browser.findElement(org.openqa.selenium.By.cssSelector("pre.diff")).getText()).contains("-replicas: 2", "+replicas: 3");
            DashboardBrowserIT.screenshot(browser, "run-waiting.png");
            browser.findElement(org.openqa.selenium.By.xpath("//button[starts-with(normalize-space(.), 'Approve')]")).click();
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.urlContains("done=approved"));
            assertThat(browser.findElement(org.openqa.selenium.By.cssSelector("p.notice")).getText()).startsWith("Step approved");
            DashboardBrowserIT.screenshot(browser, "run-approved.png");
        } finally {
            browser.quit();
        }
    }

    private static String git(Path repo, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(git.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(git.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void aRunnerClaimsItsWorkspacesQueuedRunsOneAtATimeAndALostRunnersRunFails() throws Exception {
        Team team = Team.create(http(), "runner");
        Http http = team.http();
        UsageIT.assertProblem(http.json("POST", "v1/runners", team.member(), "{\"workspace\":\"shop\"}"), 403, "manage its runners");
        HttpResponse<String> registered = http.json("POST", "v1/runners", team.admin(), "{\"workspace\":\"shop\",\"name\":\"box-1\"}");
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        String token = Http.body(registered).get("token").asText();
        assertThat(token).startsWith("ccpr_");
        String other = Http.body(http.json("POST", "v1/runners", team.owner(), "{\"workspace\":\"shop\",\"name\":\"box-2\"}"))
                .get("token").asText();
        assertThat(http.get("v1/runners", team.owner()).body()).contains("box-1", "box-2").doesNotContain(token);

        assertThat(claim(http, token, null).statusCode()).as("nothing queued").isEqualTo(204);
        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> claim(http, token, "wait=50"));
        Thread.sleep(500);
        assertThat(waiting).isNotDone();
        String first = queue(http, team.member());
        HttpResponse<String> claimed = waiting.get(30, TimeUnit.SECONDS);
        assertThat(claimed.statusCode()).as(claimed.body()).isEqualTo(200);
        assertThat(Http.body(claimed).get("id").asText()).isEqualTo(first);
        assertThat(Http.body(claimed).get("state").asText()).isEqualTo("running");
        assertThat(Http.body(claimed).get("recipe").asText()).isEqualTo("scale");

        assertThat(team.propose(token, first, DEPLOY).statusCode()).as("the runner reports the run it claimed").isEqualTo(201);
        UsageIT.assertProblem(team.propose(team.member(), first, "{\"kind\":\"note\",\"text\":\"x\"}"), 403, "only the runner");
        UsageIT.assertProblem(team.decide(token, first, 1, "{\"decision\":\"approve\"}"), 403, "deciding runs is for people");
        UsageIT.assertProblem(http.get("v1/runs", token), 403, "for people");
        assertThat(http.get("v1/runs/" + first, token).statusCode()).isEqualTo(200);

        String second = queue(http, team.member());
        assertThat(claim(http, other, null).statusCode()).as("one run at a time per workspace").isEqualTo(204);
        UsageIT.assertProblem(http.get("v1/runs/" + second, token), 404, "claimed by this runner");
        HttpResponse<String> restarted = claim(http, token, null);
        assertThat(Http.body(restarted).get("id").asText()).as("a restarted runner takes the next run").isEqualTo(second);
        JsonNode abandoned = Http.body(http.get("v1/runs/" + first, team.member()));
        assertThat(abandoned.get("state").asText()).isEqualTo("failed");
        assertThat(abandoned.get("message").asText()).contains("restarted");
        assertThat(abandoned.get("steps")).as("its steps are kept").hasSize(1);

        // Nothing is heard from the runner now: the server fails its run after the timeout.
        JsonNode lost = null;
        for (int i = 0; i < 300 && (lost == null || !lost.get("state").asText().equals("failed")); i++) {
            Thread.sleep(100);
            lost = Http.body(http.get("v1/runs/" + second, team.member()));
        }
        assertThat(lost.get("state").asText()).isEqualTo("failed");
        assertThat(lost.get("message").asText()).contains("has not been heard from");
        assertThat(claim(http, other, null).statusCode()).as("the queue is empty again").isEqualTo(204);

        String id = Http.body(registered).get("id").asText();
        assertThat(http.json("DELETE", "v1/runners/" + id, team.owner(), null).statusCode()).isEqualTo(204);
        UsageIT.assertProblem(claim(http, token, null), 401, "revoked or is unknown");
        UsageIT.assertProblem(http.json("DELETE", "v1/runners/" + id, other, null), 401, "access token");
        Team stranger = Team.create(http, "runner-other");
        UsageIT.assertProblem(http.json("DELETE", "v1/runners/" + id, stranger.owner(), null), 404, "no runner");
        assertThat(http.get("v1/runners", stranger.owner()).body()).doesNotContain("box-1");
        JsonNode audit = Http.body(http.get("v1/orgs/" + team.org() + "/audit", team.owner()));
        assertThat(audit.toString()).contains("runner.registered", "run.claimed", "runner.revoked", "run.lost");
    }

    @Test
    void aRunnerKilledMidRunLeavesItFailedWithItsStepsAndARestartedRunnerTakesTheNext(@TempDir Path temp) throws Exception {
        Team team = Team.create(http(), "sigkill");
        Http http = team.http();
        Path repo = Files.createDirectories(temp.resolve("depot"));
        git(repo, "init", "-q", "-b", "main");
        git(repo, "config", "user.email", "runner@example.com");
        git(repo, "config", "user.name", "Runner");
        Files.createDirectories(repo.resolve(".ccp/recipes"));
        // The first recipe's command stays running (writing its pid for the clean-up) until the runner is killed under it.
        Files.writeString(repo.resolve(".ccp/recipes/slow.json"), "{\"title\":\"Slow\",\"steps\":["
                + "{\"note\":\"starting\"},{\"run\":[\"sh\",\"-c\",\"echo $$ > ../slow.pid; exec sleep 600\"]}]}");
        Files.writeString(repo.resolve(".ccp/recipes/quick.json"), "{\"title\":\"Quick\",\"steps\":["
                + "{\"write\":\"NOTES.md\",\"content\":\"done by the runner\\n\"}]}");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "recipes");
        String token = Http.body(http.json("POST", "v1/runners", team.admin(), "{\"workspace\":\"depot\",\"name\":\"killable\"}"))
                .get("token").asText();
        String slow = queueRecipe(http, team.member(), "depot", "slow");

        Process runner = runner(temp, http, token, repo, false);
        try {
            JsonNode running = null;
            for (int i = 0; i < 600 && (running == null || running.get("steps").size() < 2); i++) {
                Thread.sleep(100);
                running = Http.body(http.get("v1/runs/" + slow, team.member()));
            }
            assertThat(running.get("steps")).as("the runner got to the long command").hasSize(2);
            assertThat(running.get("state").asText()).isEqualTo("running");
        } finally {
            runner.destroyForcibly(); // SIGKILL: no shutdown hook, no last word to the server
            runner.waitFor(30, TimeUnit.SECONDS);
        }
        JsonNode lost = null;
        for (int i = 0; i < 300 && (lost == null || !lost.get("state").asText().equals("failed")); i++) {
            Thread.sleep(100);
            lost = Http.body(http.get("v1/runs/" + slow, team.member()));
        }
        assertThat(lost.get("state").asText()).isEqualTo("failed");
        assertThat(lost.get("message").asText()).contains("has not been heard from");
        assertThat(lost.get("steps").findValuesAsText("kind")).as("its steps are kept").containsExactly("note", "command");
        Path pid = temp.resolve("slow.pid");
        if (Files.exists(pid)) {
            new ProcessBuilder("kill", Files.readString(pid).strip()).start().waitFor(); // the orphaned sleep
        }

        String quick = queueRecipe(http, team.member(), "depot", "quick");
        Process again = runner(temp, http, token, repo, true);
        assertThat(again.waitFor(120, TimeUnit.SECONDS)).as("ccp runner start --once ends after its run").isTrue();
        String said = new String(again.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(again.exitValue()).as(said).isZero();
        JsonNode done = Http.body(http.get("v1/runs/" + quick, team.member()));
        assertThat(done.get("state").asText()).as(said).isEqualTo("succeeded");
        assertThat(Files.readString(repo.resolve("NOTES.md"))).isEqualTo("done by the runner\n");
        assertThat(git(repo, "log", "-1", "--format=%B")).as("the run's title, as it was queued").startsWith("quick").contains("Ccp-Run: " + quick);
        assertThat(done.get("commit").asText()).isEqualTo(git(repo, "rev-parse", "HEAD").strip());
    }

    @Test
    void ccpIdeLetsAnEditorDecideAServerRunOfItsWorkspace(@TempDir Path temp) throws Exception {
        Team team = Team.create(http(), "ide");
        Http http = team.http();
        Path repo = Files.createDirectories(temp.resolve("atelier"));
        git(repo, "init", "-q", "-b", "main");
        Path home = Files.createDirectories(temp.resolve("home"));
        Cli ccp = new Cli(home, http.base());
        CliEndToEndIT.loggedIn(CliEndToEndIT.login(ccp, http, team.ownerLogin(), "--org", team.org()));
        String run = team.start(team.owner(), "policy");
        String elsewhere = run;
        run = Http.body(http.json("POST", "v1/runs", team.owner(), "{\"title\":\"Tidy the atelier\",\"workspace\":{\"name\":\"atelier\"}}"))
                .get("id").asText();
        assertThat(team.propose(team.owner(), run, DEPLOY).statusCode()).isEqualTo(201);

        Path runtime = Files.createDirectories(temp.resolve("xdg"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("ccp.cli.jar"), "ide", "-C", repo.toString()).redirectErrorStream(true)
                .redirectOutput(temp.resolve("ide.log").toFile());
        builder.environment().put("CCP_HOME", home.toString());
        builder.environment().put("CCP_SERVER", http.base());
        builder.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        Process ide = builder.start();
        try {
            Path folder = runtime.resolve("ccp/ide");
            Path discovery = null;
            for (int i = 0; i < 600 && discovery == null; i++) {
                Thread.sleep(100);
                try (var files = Files.exists(folder) ? Files.list(folder) : java.util.stream.Stream.<Path>empty()) {
                    discovery = files.filter(f -> f.getFileName().toString().equals(ide.pid() + ".json")).findFirst().orElse(null);
                }
                assertThat(ide.isAlive()).as(Files.exists(temp.resolve("ide.log")) ? Files.readString(temp.resolve("ide.log")) : "").isTrue();
            }
            assertThat(discovery).as("ccp ide writes its discovery file").isNotNull();
            JsonNode found = dev.ccp.spi.wire.Json.lenient().readTree(discovery.toFile());
            String bridge = "http://127.0.0.1:" + found.get("port").asInt() + "/";
            String token = found.get("token").asText();
            HttpResponse<String> listed = http.send(HttpRequest.newBuilder(java.net.URI.create(bridge + "v1/runs"))
                    .header("Authorization", "Bearer " + token));
            assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
            assertThat(Http.body(listed).findValuesAsText("id")).as("the workspace's runs only").contains(run).doesNotContain(elsewhere);
            HttpResponse<String> decided = http.send(HttpRequest.newBuilder(java.net.URI.create(bridge + "v1/runs/" + run + "/steps/1/decision"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"decision\":\"approve\",\"files\":{\"deploy/app.yaml\":\"replicas: 5\\n\"}}")));
            assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
            JsonNode step = Http.body(http.get("v1/runs/" + run, team.owner())).get("steps").get(0);
            assertThat(step.get("decision").get("via").asText()).isEqualTo("editor");
            assertThat(step.get("decision").get("by").asText()).isEqualTo(team.ownerLogin());
            assertThat(step.get("decision").get("files").get("deploy/app.yaml").asText()).isEqualTo("replicas: 5\n");
        } finally {
            ide.destroy();
            ide.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(Files.exists(runtime.resolve("ccp/ide/" + ide.pid() + ".json"))).as("its discovery file goes with it").isFalse();
    }

    /** {@code ccp runner start} as its own process, so that it can be killed as a machine would lose it. */
    private static Process runner(Path temp, Http http, String token, Path repo, boolean once) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("ccp.cli.jar"), "runner", "start", "--workspace", repo.toString()));
        if (once) {
            command.add("--once");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("CCP_HOME", Files.createDirectories(temp.resolve("runner-home")).toString());
        builder.environment().put("CCP_SERVER", http.base());
        builder.environment().put("CCP_RUNNER_TOKEN", token);
        if (!once) {
            builder.redirectOutput(temp.resolve("runner.log").toFile());
        }
        return builder.start();
    }

    private static String queueRecipe(Http http, String token, String workspace, String recipe) {
        HttpResponse<String> queued = http.json("POST", "v1/runs", token, "{\"title\":\"" + recipe + "\",\"recipe\":\"" + recipe
                + "\",\"workspace\":{\"name\":\"" + workspace + "\"}}");
        assertThat(queued.statusCode()).as(queued.body()).isEqualTo(201);
        return Http.body(queued).get("id").asText();
    }

    private static String queue(Http http, String token) {
        HttpResponse<String> queued = http.json("POST", "v1/runs", token,
                "{\"title\":\"Scale\",\"recipe\":\"scale\",\"source\":\"api\",\"workspace\":{\"name\":\"shop\"}}");
        assertThat(queued.statusCode()).as(queued.body()).isEqualTo(201);
        assertThat(Http.body(queued).get("state").asText()).isEqualTo("queued");
        return Http.body(queued).get("id").asText();
    }

    private static HttpResponse<String> claim(Http http, String token, String prefer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(http.uri("v1/runners/claim")).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(90));
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        return http.send(request);
    }

    static final int RUNS_PER_MINUTE = 20;
}
