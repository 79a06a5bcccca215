package dev.ccp.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccp.server.github.control.GitHubWebhooks;
import dev.ccp.server.testing.FakeGitHub;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The GitHub reviewer bot end to end, against {@link FakeGitHub}: deliveries signed as GitHub signs
 * them, shaped as GitHub's published examples ({@code @octokit/webhooks-examples}), reviewed from
 * the database's job queue with the org's prod policy, through the Checks API and one review per
 * push, within GitHub's documented limits.
 */
class GitHubAppIT extends ServerIT {

    static final String SECRET = "it-github-webhook-secret";
    static final String POLICY = "{\"schema\":\"ccp.policy/v1\",\"paths\":{\"deny\":[\"secrets/**\"]},"
            + "\"review\":{\"enabled\":true,\"paths\":[\"deploy/**\"],\"fail_on\":\"error\",\"max_comments\":10}}";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GitHubWebhooks SIGNER = new GitHubWebhooks(SECRET, null, null);
    private static FakeGitHub github;

    @BeforeAll
    static void startGitHub() throws IOException {
        github = new FakeGitHub(GitHubSignInIT.PORT, "http://127.0.0.1/ccp/login/github/callback", Clock.systemUTC());
    }

    @AfterAll
    static void stopGitHub() {
        github.close();
    }

    /** An org with its review policy in prod and an installation of the app connected to it by an admin who owns its GitHub account. */
    private RunsIT.Team connected(String name, long installation, String account) {
        RunsIT.Team team = RunsIT.Team.create(http(), name);
        Http http = team.http();
        assertThat(http.json("POST", "v1/admin/policies/dev", team.owner(), POLICY).statusCode()).isEqualTo(201);
        assertThat(http.json("POST", "v1/admin/policies/prod/promote", team.owner(), "{\"version\":2}").statusCode()).isEqualTo(201);
        github.installation(installation, account);
        HttpResponse<String> member = connect(http, team, team.member(), installation);
        assertThat(member.statusCode()).as("members do not connect installations").isEqualTo(403);
        UsageIT.assertProblem(connect(http, team, team.admin(), installation), 403, "needs your GitHub account");
        HttpResponse<String> connected = connect(http, team, githubAdmin(team, account), installation);
        assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);
        assertThat(Http.body(connected).get("account").asText()).isEqualTo(account);
        return team;
    }

    /** A new admin of the org who signs in with their GitHub handle, and is an owner of the GitHub organization {@code account}. */
    private static String githubAdmin(RunsIT.Team team, String account) {
        String handle = "gh" + Long.toHexString(System.nanoTime());
        assertThat(team.http().json("POST", "v1/orgs/" + team.org() + "/members", team.owner(),
                "{\"login\":\"" + handle + "\",\"role\":\"admin\"}").statusCode()).isEqualTo(201);
        if (account != null) {
            github.orgMember(account, handle, "admin");
        }
        return Logins.accessToken(team.http(), handle, team.org());
    }

    private static HttpResponse<String> connect(Http http, RunsIT.Team team, String token, long installation) {
        return http.json("POST", "v1/orgs/" + team.org() + "/github/installations/" + installation, token, "");
    }

    @Test
    void aPullRequestWithADeniedPathASecretAnd120FindingsFailsItsCheckInBatchesAndTheNextPushResolvesIt() {
        RunsIT.Team team = connected("gh-review", 71001, "acme-gh");
        Http http = team.http();
        String first = sha("first");
        List<FakeGitHub.File> files = new ArrayList<>();
        files.add(new FakeGitHub.File("secrets/prod.env", "added", added("DB_HOST=db.internal", "SLACK_BOT_TOKEN=" + slackToken())));
        files.add(new FakeGitHub.File("deploy/app.yaml", "added", added("replicas: 3")));
        files.add(new FakeGitHub.File("src/keys.txt", "added", added(awsKeys(117))));
        github.pullRequest("acme-gh", "shop", 7, first, files);

        HttpResponse<String> opened = deliver(http, "pull_request", UUID.randomUUID().toString(), pullRequest("opened", 71001, "acme-gh/shop", 7, first));
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(202);
        assertThat(Http.body(opened).get("outcome").asText()).isEqualTo("queued");

        await(() -> completed("acme-gh", "shop", first) != null, "the check run of the first push");
        FakeGitHub.CheckRun check = completed("acme-gh", "shop", first);
        assertThat(check.name()).isEqualTo("ccp policy");
        assertThat(check.conclusion()).isEqualTo("failure");
        assertThat(check.annotations()).hasSize(120);
        assertThat(check.annotations()).filteredOn(a -> a.level().equals("failure")).hasSize(119);
        assertThat(check.updates()).as("120 annotations in batches of at most 50, then the completion").isEqualTo(4);
        assertThat(check.summary()).contains("120 findings");
        assertThat(check.annotations().toString() + check.summary()).as("a secret is never repeated").doesNotContain(slackToken());
        await(() -> !github.reviews("acme-gh", "shop", 7).isEmpty(), "the review of the first push");
        List<FakeGitHub.Review> reviews = github.reviews("acme-gh", "shop", 7);
        assertThat(reviews).as("one review per push").hasSize(1);
        assertThat(reviews.get(0).commentIds()).as("review.max_comments").hasSize(10);
        assertThat(github.comments("acme-gh", "shop", 7)).allSatisfy(c -> assertThat(c.login()).isEqualTo(FakeGitHub.BOT_LOGIN));

        // The fix: the secrets and the keys go; the deploy change stays and still wants a person's review.
        String second = sha("second");
        github.pullRequest("acme-gh", "shop", 7, second, List.of(new FakeGitHub.File("deploy/app.yaml", "added", added("replicas: 3"))));
        assertThat(deliver(http, "pull_request", UUID.randomUUID().toString(), pullRequest("synchronize", 71001, "acme-gh/shop", 7, second))
                .statusCode()).isEqualTo(202);
        await(() -> completed("acme-gh", "shop", second) != null, "the check run of the second push");
        assertThat(completed("acme-gh", "shop", second).conclusion()).as("a warning does not fail under fail_on: error").isEqualTo("success");
        await(() -> github.reviews("acme-gh", "shop", 7).size() == 2, "the review of the second push");
        List<FakeGitHub.Comment> comments = github.comments("acme-gh", "shop", 7);
        assertThat(comments).filteredOn(c -> c.body().startsWith("**Resolved**")).as("the first push's comments, resolved in place").hasSize(10);
        assertThat(comments).filteredOn(c -> !c.body().startsWith("**Resolved**")).singleElement()
                .satisfies(c -> assertThat(c.path()).isEqualTo("deploy/app.yaml"));
        assertThat(github.reviews("acme-gh", "shop", 7)).hasSize(2);
        assertThat(github.violations()).isEmpty();
    }

    @Test
    void findingsInFilesWithNoLineToCommentOnAreCommentedOnTheFileAndResolvedThere() {
        RunsIT.Team team = connected("gh-files", 72001, "files-gh");
        Http http = team.http();
        String first = sha("files-first");
        FakeGitHub.File removed = new FakeGitHub.File("secrets/old.env", "removed", "@@ -1,2 +0,0 @@\n-A=1\n-B=2");
        github.pullRequest("files-gh", "site", 5, first, List.of(removed, new FakeGitHub.File("deploy/logo.png", "added", null)));
        assertThat(deliver(http, "pull_request", UUID.randomUUID().toString(), pullRequest("opened", 72001, "files-gh/site", 5, first))
                .statusCode()).isEqualTo(202);
        await(() -> completed("files-gh", "site", first) != null, "the check run of the first push");
        assertThat(completed("files-gh", "site", first).conclusion()).as("a denied path, removed, still fails").isEqualTo("failure");
        await(() -> github.comments("files-gh", "site", 5).size() == 3, "the file comments of the first push");
        List<FakeGitHub.Comment> comments = github.comments("files-gh", "site", 5);
        assertThat(comments).as("denied-path on the removed file; needs-review and binary on the image, each on its file")
                .extracting(FakeGitHub.Comment::path, FakeGitHub.Comment::line, c -> c.body().substring(0, c.body().indexOf("**", 2) + 2))
                .containsExactlyInAnyOrder(tuple("secrets/old.env", null, "**Denied path**"),
                        tuple("deploy/logo.png", null, "**Needs a person's review**"),
                        tuple("deploy/logo.png", null, "**Not readable by the reviewer**"));

        // The image goes; the removal stays. Its comment is not repeated, the image's two are resolved.
        String second = sha("files-second");
        github.pullRequest("files-gh", "site", 5, second, List.of(removed));
        assertThat(deliver(http, "pull_request", UUID.randomUUID().toString(), pullRequest("synchronize", 72001, "files-gh/site", 5, second))
                .statusCode()).isEqualTo(202);
        await(() -> completed("files-gh", "site", second) != null
                && github.comments("files-gh", "site", 5).stream().filter(c -> c.body().startsWith("**Resolved**")).count() == 2,
                "the second push's review");
        assertThat(github.comments("files-gh", "site", 5)).hasSize(3).filteredOn(c -> !c.body().startsWith("**Resolved**")).singleElement()
                .satisfies(c -> assertThat(c.path()).isEqualTo("secrets/old.env"));
        assertThat(github.violations()).isEmpty();
    }

    @Test
    void aReviewStoppedBetweenItsFileCommentsStaysWithinMaxCommentsWhenItGoesOn() {
        RunsIT.Team team = connected("gh-cap", 72004, "cap-gh");
        Http http = team.http();
        String head = sha("cap");
        // Twelve images under review paths (two findings each, none with a line) and a file with a key on a line: 26 findings, 10 comments.
        List<FakeGitHub.File> files = new ArrayList<>(IntStream.range(0, 12)
                .mapToObj(i -> new FakeGitHub.File("deploy/img" + i + ".png", "added", null)).toList());
        files.add(new FakeGitHub.File("deploy/app.env", "added", added(awsKeys(1))));
        github.pullRequest("cap-gh", "site", 6, head, files);
        // Four file comments go through, the fifth fails: the job stops there and goes on seconds later.
        github.failNext("POST /api/repos/cap-gh/site/pulls/6/comments", 4);
        assertThat(deliver(http, "pull_request", UUID.randomUUID().toString(), pullRequest("opened", 72004, "cap-gh/site", 6, head))
                .statusCode()).isEqualTo(202);
        // The review, with the line comments, is the job's last word.
        await(() -> !github.reviews("cap-gh", "site", 6).stream().filter(r -> !r.body().isEmpty()).toList().isEmpty(), "the review");
        assertThat(github.calls()).as("the failure happened").anyMatch(c -> c.path().startsWith("/api/repos/cap-gh/site/pulls/6/comments")
                && c.status() == 502);
        assertThat(github.comments("cap-gh", "site", 6)).as("review.max_comments across the stop").hasSize(10)
                .filteredOn(c -> c.line() != null).hasSize(2);
    }

    @Test
    void anAdminDisconnectsAnInstallationOnlyFromTheirOwnOrgAndItsPullRequestsAreNoLongerReviewed() {
        RunsIT.Team team = connected("gh-off", 72002, "off-gh");
        Http http = team.http();
        RunsIT.Team other = RunsIT.Team.create(http, "gh-off-other");
        String path = "v1/orgs/" + team.org() + "/github/installations/72002";

        assertThat(http.json("DELETE", path, team.member(), null).statusCode()).as("members do not disconnect").isEqualTo(403);
        UsageIT.assertProblem(http.json("DELETE", "v1/orgs/" + other.org() + "/github/installations/72002", other.owner(), null), 404,
                "not connected to this org");
        assertThat(http.json("DELETE", path, other.owner(), null).statusCode()).as("another org's owner").isIn(403, 404);
        UsageIT.assertProblem(connect(http, other, githubAdmin(other, "off-gh"), 72002), 409, "disconnects it first");

        // From the org's GitHub page, as a person would: the installation is listed with its button.
        PageSession pages = PageSession.signIn(http, team.ownerLogin(), team.org());
        assertThat(pages.get("admin/github").body()).contains("off-gh", "Disconnect<span class=\"sr\"> installation 72002</span>");
        HttpResponse<String> disconnected = pages.post("admin/github", "admin/github/disconnect", "installation", "72002");
        assertThat(disconnected.statusCode()).as(disconnected.body()).isEqualTo(303);
        assertThat(pages.get("admin/github?done=github-disconnected").body()).contains("GitHub installation disconnected", "None yet.");
        UsageIT.assertProblem(http.json("DELETE", path, team.admin(), null), 404, "not connected to this org");
        assertThat(Http.body(http.get("v1/orgs/" + team.org() + "/github/installations", team.admin()))).isEmpty();
        assertThat(Http.body(http.get("v1/orgs/" + team.org() + "/audit?action=github.disconnected", team.owner())).toString())
                .contains("72002");

        String head = sha("off");
        github.pullRequest("off-gh", "api", 9, head, List.of(new FakeGitHub.File("secrets/a.env", "added", added("A=1"))));
        assertThat(Http.body(deliver(http, "pull_request", UUID.randomUUID().toString(), pullRequest("opened", 72002, "off-gh/api", 9, head)))
                .get("outcome").asText()).contains("not connected");
        HttpResponse<String> reconnected = connect(http, other, githubAdmin(other, "off-gh"), 72002);
        assertThat(reconnected.statusCode()).as("another org may connect it now").isEqualTo(200);
    }

    @Test
    void aReviewUnderWayWhenItsInstallationIsDisconnectedCompletesItsCheckRunAsNeutral() {
        RunsIT.Team team = connected("gh-mid", 72003, "mid-gh");
        Http http = team.http();
        String head = sha("mid");
        github.pullRequest("mid-gh", "web", 4, head, List.of(new FakeGitHub.File("secrets/a.env", "added", added("A=1"))));
        // The check run is made, then GitHub fails its first update: the job tries again seconds later.
        github.failNext("PATCH /api/repos/mid-gh/web/check-runs/");
        assertThat(deliver(http, "pull_request", UUID.randomUUID().toString(), pullRequest("opened", 72003, "mid-gh/web", 4, head))
                .statusCode()).isEqualTo(202);
        await(() -> github.calls().stream().anyMatch(c -> c.path().startsWith("/api/repos/mid-gh/web/check-runs/") && c.status() == 502),
                "the failed update");
        assertThat(github.checkRuns("mid-gh", "web")).singleElement().satisfies(run -> assertThat(run.status()).isEqualTo("in_progress"));

        assertThat(http.json("DELETE", "v1/orgs/" + team.org() + "/github/installations/72003", team.admin(), null).statusCode())
                .isEqualTo(204);
        await(() -> "completed".equals(github.checkRuns("mid-gh", "web").get(0).status()), "the check run's completion");
        FakeGitHub.CheckRun run = github.checkRuns("mid-gh", "web").get(0);
        assertThat(run.conclusion()).as("blocks no pull request that requires the check").isEqualTo("neutral");
        assertThat(run.summary()).contains("disconnected from its CCP org");
        assertThat(github.reviews("mid-gh", "web", 4)).as("nothing said on the pull request once disconnected").isEmpty();
    }

    @Test
    void forgedReplayedAndMalformedDeliveriesChangeNothing() {
        RunsIT.Team team = connected("gh-edge", 71002, "edge-gh");
        Http http = team.http();
        String head = sha("edge");
        github.pullRequest("edge-gh", "api", 3, head, List.of(new FakeGitHub.File("README.md", "modified", "@@ -1 +1 @@\n-a\n+b")));
        byte[] body = pullRequest("opened", 71002, "edge-gh/api", 3, head).getBytes(StandardCharsets.UTF_8);
        String delivery = UUID.randomUUID().toString();

        UsageIT.assertProblem(send(http, "pull_request", delivery, body, "sha256=" + "0".repeat(64)), 401, "does not match");
        UsageIT.assertProblem(send(http, "pull_request", delivery, body, new GitHubWebhooks("another", null, null).sign(body)), 401,
                "does not match");
        UsageIT.assertProblem(send(http, "pull_request", delivery, body, null), 401, "not signed");
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("edge-gh/api", "edge-gh/www").getBytes(StandardCharsets.UTF_8);
        UsageIT.assertProblem(send(http, "pull_request", delivery, tampered, SIGNER.sign(body)), 401, "does not match");
        UsageIT.assertProblem(send(http, "pull_request", delivery, "{not json".getBytes(StandardCharsets.UTF_8),
                SIGNER.sign("{not json".getBytes(StandardCharsets.UTF_8))), 400, "not JSON");
        UsageIT.assertProblem(send(http, "pull_request", "../../etc", body, SIGNER.sign(body)), 400, "X-GitHub-Delivery");
        assertThat(github.checkRuns("edge-gh", "api")).as("nothing refused was reviewed").isEmpty();

        assertThat(Http.body(send(http, "pull_request", delivery, body, SIGNER.sign(body))).get("outcome").asText()).isEqualTo("queued");
        assertThat(Http.body(send(http, "pull_request", delivery, body, SIGNER.sign(body))).get("outcome").asText())
                .as("GitHub's redelivery of the same delivery").isEqualTo("duplicate");
        await(() -> completed("edge-gh", "api", head) != null, "the review");
        assertThat(Http.body(deliver(http, "pull_request", UUID.randomUUID().toString(), pullRequest("closed", 71002, "edge-gh/api", 3, head)))
                .get("outcome").asText()).startsWith("ignored");
        assertThat(github.checkRuns("edge-gh", "api")).as("one check run per head commit").hasSize(1);
        assertThat(completed("edge-gh", "api", head).conclusion()).isEqualTo("success");

        // Asked again from GitHub's checks tab: a new check run for the same commit.
        assertThat(Http.body(deliver(http, "check_run", UUID.randomUUID().toString(), rerequested(71002, "edge-gh/api", 3, head)))
                .get("outcome").asText()).isEqualTo("queued");
        awaitLong(() -> github.checkRuns("edge-gh", "api").stream().filter(c -> "completed".equals(c.status())).count() == 2,
                "the check run asked again");
        assertThat(github.checkRuns("edge-gh", "api")).extracting(FakeGitHub.CheckRun::headSha).containsOnly(head);

        // An installation of another org is not this org's to connect, and its deliveries are not reviewed with this policy.
        github.installation(71003, "stranger-gh");
        RunsIT.Team other = RunsIT.Team.create(http, "gh-edge-other");
        String stranger = githubAdmin(other, null);
        UsageIT.assertProblem(connect(http, other, stranger, 71003), 403, "is not one of its owners");
        UsageIT.assertProblem(connect(http, other, githubAdmin(other, "edge-gh"), 71002), 409, "connected to another CCP org");
        assertThat(connect(http, other, stranger, 99999).statusCode()).isEqualTo(404);
        assertThat(Http.body(deliver(http, "pull_request", UUID.randomUUID().toString(), pullRequest("opened", 71003, "stranger-gh/x", 1, head)))
                .get("outcome").asText()).contains("not connected");

        // Uninstalled on GitHub: the connection goes, and so do the reviews.
        assertThat(Http.body(deliver(http, "installation", UUID.randomUUID().toString(), uninstalled(71002))).get("outcome").asText())
                .isEqualTo("uninstalled");
        assertThat(Http.body(http.get("v1/orgs/" + team.org() + "/github/installations", team.owner()))).isEmpty();
        assertThat(Http.body(deliver(http, "pull_request", UUID.randomUUID().toString(), pullRequest("reopened", 71002, "edge-gh/api", 3, sha("again"))))
                .get("outcome").asText()).contains("not connected");
        assertThat(github.violations()).isEmpty();
    }

    /** GitHub's published check_run.rerequested example, for this installation, pull request and head. */
    private static String rerequested(long installation, String repo, int number, String head) {
        try {
            ObjectNode payload = (ObjectNode) JSON.readTree(fixture("check_run.rerequested.json"));
            ((ObjectNode) payload.get("installation")).put("id", installation);
            ((ObjectNode) payload.get("repository")).put("full_name", repo);
            ObjectNode run = (ObjectNode) payload.get("check_run");
            run.put("head_sha", head);
            run.putArray("pull_requests").addObject().put("number", number);
            return payload.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GitHub's published installation.deleted example, for this installation. */
    private static String uninstalled(long installation) {
        try {
            ObjectNode payload = (ObjectNode) JSON.readTree(fixture("installation.deleted.json"));
            ((ObjectNode) payload.get("installation")).put("id", installation);
            return payload.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aBurstOfFiftyPullRequestsStaysWithinTheBudgetAndFinishesOnceGitHubsLimitClears() {
        RunsIT.Team team = connected("gh-burst", 71004, "burst-gh");
        Http http = team.http();
        github.rateLimitNext(3);
        List<String> heads = new ArrayList<>();
        for (int n = 1; n <= 50; n++) {
            String head = sha("burst-" + n);
            heads.add(head);
            github.pullRequest("burst-gh", "mono", n, head, List.of(new FakeGitHub.File("docs/page" + n + ".md", "added", added("page " + n))));
            assertThat(deliver(http, "pull_request", UUID.randomUUID().toString(), pullRequest("opened", 71004, "burst-gh/mono", n, head))
                    .statusCode()).isEqualTo(202);
        }
        awaitLong(() -> heads.stream().allMatch(h -> completed("burst-gh", "mono", h) != null), "all fifty reviews");
        assertThat(github.checkRuns("burst-gh", "mono")).hasSize(50).allSatisfy(c -> assertThat(c.conclusion()).isEqualTo("success"));
        assertThat(github.violations()).as("no call during a retry-after, no secondary limit tripped").isEmpty();
    }

    private static FakeGitHub.CheckRun completed(String owner, String repo, String sha) {
        return github.checkRuns(owner, repo).stream().filter(c -> c.headSha().equals(sha) && "completed".equals(c.status())).findFirst()
                .orElse(null);
    }

    /** GitHub's published pull_request example, for this installation, repository, number and head. */
    private static String pullRequest(String action, long installation, String repo, int number, String head) {
        try {
            ObjectNode payload = (ObjectNode) JSON.readTree(fixture("pull_request.opened.json"));
            payload.put("action", action).put("number", number);
            ((ObjectNode) payload.get("installation")).put("id", installation);
            ((ObjectNode) payload.get("repository")).put("full_name", repo).put("name", repo.substring(repo.indexOf('/') + 1));
            ObjectNode pull = (ObjectNode) payload.get("pull_request");
            pull.put("number", number);
            ((ObjectNode) pull.get("head")).put("sha", head);
            return payload.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> deliver(Http http, String event, String delivery, String payload) {
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        return send(http, event, delivery, body, SIGNER.sign(body));
    }

    private static HttpResponse<String> send(Http http, String event, String delivery, byte[] body, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(http.uri("v1/github/webhook")).header("Content-Type", "application/json")
                .header("X-GitHub-Event", event).header("X-GitHub-Delivery", delivery).header("User-Agent", "GitHub-Hookshot/it")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return http.send(request);
    }

    /** A new file's patch, as GitHub lists it. */
    private static String added(String... lines) {
        return "@@ -0,0 +1," + lines.length + " @@\n" + java.util.Arrays.stream(lines).map(l -> "+" + l).collect(Collectors.joining("\n"));
    }

    /** AWS access key ids, each of sixteen different characters, so that none looks like a placeholder. */
    private static String[] awsKeys(int count) {
        Random random = new Random(7);
        List<Character> alphabet = "ABCDFGHJKLNPQRUVWXYZ0123456789".chars().mapToObj(c -> (char) c).collect(Collectors.toList());
        return IntStream.range(0, count).mapToObj(i -> {
            Collections.shuffle(alphabet, random);
            return "key_" + i + " = AKIA" + alphabet.subList(0, 16).stream().map(String::valueOf).collect(Collectors.joining());
        }).toArray(String[]::new);
    }

    private static String slackToken() {
        return "xoxb-" + "2048" + "1234567" + "-" + "4096" + "7654321" + "-" + "Zq8Rn3Vt5Wy7Bc9Df1Gh2Jk4";
    }

    private static String sha(String seed) {
        return dev.ccp.server.platform.Ids.hash(seed).substring(0, 40);
    }

    private static String fixture(String name) {
        try (InputStream in = GitHubAppIT.class.getResourceAsStream("/github/webhooks/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(Supplier<Boolean> condition, String what) {
        poll(condition, what, 600);
    }

    private static void awaitLong(Supplier<Boolean> condition, String what) {
        poll(condition, what, 3000);
    }

    private static void poll(Supplier<Boolean> condition, String what, int tenths) {
        for (int i = 0; i < tenths && !Boolean.TRUE.equals(condition.get()); i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertThat(condition.get()).as("waited for " + what + "; GitHub saw " + github.violations()).isTrue();
    }
}
