package dev.ccp.server.github.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccp.server.platform.Ids;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.policy.control.Policies;
import dev.ccp.spi.policy.PolicyDocument;
import dev.ccp.spi.wire.Json;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * One review of one pull request at one head commit, as a job any node carries out: the files
 * (every page), the org's {@code prod} policy, the findings of {@link ReviewRules}; then one check
 * run named {@value #CHECK} created in progress, its annotations sent in batches of 50 (GitHub drops
 * what a larger request carries), completed with the conclusion {@code review.fail_on} gives; and at
 * most one review per push with at most {@code review.max_comments} comments, on lines of the diff
 * or, for a file with no line to attach to (removed, binary), on the file as a whole.
 * The bot's earlier comments are found by a marker in their text: those still true stay, those no
 * longer true are marked resolved, and nothing is said twice.
 *
 * <p>What a review did so far is kept per head commit, so a job that stops half way (a rate limit,
 * a restart) goes on where it stopped. Every write spends the installation's budget first.
 */
public final class PullReviews {

    public static final String CHECK = "ccp policy";
    static final int BATCH = 50;
    static final int MAX_SUMMARY = 65_535;
    /** GitHub lists at most this many files of a pull request. */
    static final int MAX_FILES = 3000;
    private static final String MARK = "<!-- ccp-policy:";
    private static final PolicyDocument NO_POLICY = PolicyDocument.of(Json.lenient().createObjectNode().put("schema", PolicyDocument.SCHEMA));
    private static final Logger LOG = Logger.getLogger(PullReviews.class.getName());
    private static final String AGAIN = "Push again, or re-run the check.";

    /** The job cannot go on now: try again at {@code until}; {@code fault} counts toward giving up. */
    static final class Later extends RuntimeException {
        final Instant until;
        final boolean fault;

        Later(String why, Instant until, boolean fault) {
            super(why, null, false, false);
            this.until = until;
            this.fault = fault;
        }
    }

    /** Another node has the job now: this node leaves it alone. */
    static final class Lost extends RuntimeException {
        Lost() {
            super("the job's lease ran out and another node took it", null, false, false);
        }
    }

    private final GitHubApi api;
    private final GitHubJobs jobs;
    private final Policies policies;
    private final Tx tx;
    private final Clock clock;
    private final int maxAnnotations;

    public PullReviews(GitHubApi api, GitHubJobs jobs, Policies policies, Tx tx, Clock clock, int maxAnnotations) {
        this.api = api;
        this.jobs = jobs;
        this.policies = policies;
        this.tx = tx;
        this.clock = clock;
        this.maxAnnotations = maxAnnotations;
    }

    /** One round: the due jobs this node can take, one after another. Answers how many it carried out. */
    public int work(int most) {
        int done = 0;
        for (String id : tx.call(em -> jobs.due(em, clock.instant(), most))) {
            Optional<GitHubJobs.Job> job = tx.call(em -> jobs.take(em, id, clock.instant()));
            if (job.isEmpty()) {
                continue;
            }
            GitHubJobs.Job j = job.get();
            try {
                String said = review(j);
                tx.run(em -> jobs.end(em, j, true, said, clock.instant()));
                done++;
            } catch (Lost lost) {
                LOG.info("reviewing " + j.repo() + "#" + j.pullNumber() + ": " + lost.getMessage());
            } catch (Later later) {
                if (later.fault && j.attempts() >= GitHubJobs.MAX_ATTEMPTS) {
                    abandon(j, later.getMessage(), AGAIN);
                }
                tx.run(em -> jobs.later(em, j, later.until, later.getMessage(), later.fault, clock.instant()));
            } catch (RuntimeException e) {
                LOG.warning("reviewing " + j.repo() + "#" + j.pullNumber() + " failed: " + e);
                if (j.attempts() >= GitHubJobs.MAX_ATTEMPTS) {
                    abandon(j, "the review failed", AGAIN);
                }
                tx.run(em -> jobs.later(em, j, clock.instant().plus(backoff(j.attempts())), String.valueOf(e.getMessage()), true,
                        clock.instant()));
            }
        }
        return done;
    }

    /**
     * A job that gives up completes its check run, if it made one, rather than leaving it in
     * progress for good (which blocks a pull request that requires the check). Best effort.
     */
    private void abandon(GitHubJobs.Job job, String why, String advice) {
        try {
            Progress progress = tx.call(em -> progress(em, job));
            if (progress.checkRun() == null || progress.completed()) {
                return;
            }
            ObjectNode complete = Json.lenient().createObjectNode().put("status", "completed").put("conclusion", "neutral")
                    .put("completed_at", clock.instant().toString());
            complete.putObject("output").put("title", "The review could not finish")
                    .put("summary", "CCP could not finish reviewing this commit: " + clip(why, 2000) + ". " + advice);
            if (api.call(job.installationId(), "PATCH", "/repos/" + job.repo() + "/check-runs/" + progress.checkRun(), complete).ok()) {
                mark(job, progress.checkRun(), "completed", true);
            }
        } catch (RuntimeException e) {
            LOG.warning("completing the check run of " + job.repo() + "#" + job.pullNumber() + " after giving up failed: " + e);
        }
    }

    /** What a review of one head commit did so far. */
    private record Progress(Long checkRun, int annotationsSent, boolean reviewDone, boolean completed) {
    }

    private String review(GitHubJobs.Job job) {
        Optional<String> org = tx.call(em -> em.createNativeQuery("select org_id from github_installations where id = ?1 and deleted_at is null")
                .setParameter(1, job.installationId()).getResultList().stream().filter(java.util.Objects::nonNull).map(String.class::cast).findFirst());
        if (org.isEmpty()) {
            // Disconnected since the job was queued: a check run it began would otherwise stay in progress.
            abandon(job, "the GitHub installation was disconnected from its CCP org", "An owner or admin of the org connects it again.");
            return "the installation is not connected to a CCP org";
        }
        Progress progress = tx.call(em -> progress(em, job));
        if (progress.completed() && progress.reviewDone()) {
            return "reviewed already";
        }
        String repo = "/repos/" + job.repo();
        JsonNode pull = read(job, repo + "/pulls/" + job.pullNumber()).body();
        if (!job.headSha().equals(pull.path("head").path("sha").asText())) {
            return "superseded: the pull request's head moved on";
        }
        PolicyDocument policy = tx.call(em -> policies.document(em, org.get(), "prod")).orElse(NO_POLICY);
        List<JsonNode> listed = new ArrayList<>();
        check(job, api.list(job.installationId(), repo + "/pulls/" + job.pullNumber() + "/files", listed));
        List<PullFile> files = listed.stream().map(PullReviews::file).toList();
        List<Finding> findings = ReviewRules.review(policy, files);
        String conclusion = ReviewRules.conclusion(policy, findings);
        if (!progress.completed()) {
            checkRun(job, progress, findings, conclusion, policy, files.size());
        }
        if (!progress.reviewDone()) {
            comment(job, policy, findings);
        }
        return conclusion + ": " + findings.size() + " findings";
    }

    /** The check run: created in progress, annotated in batches of 50, completed with the conclusion. */
    private void checkRun(GitHubJobs.Job job, Progress progress, List<Finding> findings, String conclusion, PolicyDocument policy, int files) {
        String repo = "/repos/" + job.repo();
        Long checkRun = progress.checkRun();
        if (checkRun == null) {
            ObjectNode create = Json.lenient().createObjectNode().put("name", CHECK).put("head_sha", job.headSha()).put("status", "in_progress")
                    .put("started_at", clock.instant().toString()).put("external_id", job.id());
            long id = write(job, "POST", repo + "/check-runs", create).body().path("id").asLong();
            mark(job, "check_run_id", id);
            checkRun = id;
        }
        List<Finding> annotated = findings.subList(0, Math.min(findings.size(), maxAnnotations));
        String title = title(findings);
        String summary = summary(findings, annotated.size(), policy) + (files >= MAX_FILES
                ? "\n\nGitHub lists at most " + MAX_FILES + " files of a pull request; files past them were not reviewed." : "");
        for (int from = progress.annotationsSent(); from < annotated.size(); from += BATCH) {
            List<Finding> batch = annotated.subList(from, Math.min(from + BATCH, annotated.size()));
            ObjectNode output = Json.lenient().createObjectNode();
            output.putObject("output").put("title", title).put("summary", summary).set("annotations", annotations(batch));
            write(job, "PATCH", repo + "/check-runs/" + checkRun, output);
            mark(job, checkRun, "annotations_sent", from + batch.size());
        }
        ObjectNode complete = Json.lenient().createObjectNode().put("status", "completed").put("conclusion", conclusion)
                .put("completed_at", clock.instant().toString());
        complete.putObject("output").put("title", title).put("summary", summary);
        write(job, "PATCH", repo + "/check-runs/" + checkRun, complete);
        mark(job, checkRun, "completed", true);
    }

    /**
     * Records a step of the check run {@code checkRun}, unless the check was asked again meanwhile
     * (which forgets the check run, so that the new job makes a new one).
     */
    private void mark(GitHubJobs.Job job, long checkRun, String column, Object value) {
        tx.run(em -> em.createNativeQuery("update github_reviews set " + column + " = ?4 where repo = ?1 and pull_number = ?2 and head_sha = ?3"
                        + " and check_run_id = ?5")
                .setParameter(1, job.repo()).setParameter(2, job.pullNumber()).setParameter(3, job.headSha()).setParameter(4, value)
                .setParameter(5, checkRun).executeUpdate());
    }

    /** Records one step of a head commit's review, so a job that stops goes on after it. */
    private void mark(GitHubJobs.Job job, String column, Object value) {
        tx.run(em -> em.createNativeQuery("update github_reviews set " + column + " = ?4 where repo = ?1 and pull_number = ?2 and head_sha = ?3")
                .setParameter(1, job.repo()).setParameter(2, job.pullNumber()).setParameter(3, job.headSha()).setParameter(4, value).executeUpdate());
    }

    /**
     * The push's one review: new findings as comments (at most {@code max_comments}; on the file as a
     * whole where it has no line to attach to), the bot's earlier comments that no longer hold
     * marked resolved, and none repeated.
     */
    private void comment(GitHubJobs.Job job, PolicyDocument policy, List<Finding> findings) {
        String repo = "/repos/" + job.repo();
        List<JsonNode> existing = new ArrayList<>();
        check(job, api.list(job.installationId(), repo + "/pulls/" + job.pullNumber() + "/comments", existing));
        String bot = api.botLogin().orElseThrow(() -> new Later("GitHub did not say the app's name", clock.instant().plusSeconds(30), true));
        Map<String, JsonNode> ours = new HashMap<>();
        for (JsonNode c : existing) {
            String body = c.path("body").asText("");
            int at = body.indexOf(MARK);
            if (at >= 0 && bot.equals(c.path("user").path("login").asText())) {
                ours.put(body.substring(at + MARK.length(), body.indexOf("-->", at) < 0 ? body.length() : body.indexOf("-->", at)).strip(), c);
            }
        }
        Set<String> now = new LinkedHashSet<>();
        List<ObjectNode> fresh = new ArrayList<>();
        List<ObjectNode> onFiles = new ArrayList<>();
        // Comments this push already got (a job that stopped after its file comments) count toward its limit.
        int most = policy.review().maxComments() - (int) ours.values().stream()
                .filter(c -> job.headSha().equals(c.path("original_commit_id").asText())).count();
        for (Finding f : findings.stream().sorted(Comparator.comparing((Finding f) -> f.severity().ordinal()).thenComparing(Finding::path)
                .thenComparingInt(Finding::line)).toList()) {
            String print = fingerprint(f);
            now.add(print);
            if (ours.containsKey(print) || fresh.size() + onFiles.size() >= most) {
                continue;
            }
            ObjectNode comment = Json.lenient().createObjectNode().put("path", f.path())
                    .put("body", "**" + f.title() + "** — " + f.message() + "\n\n" + MARK + print + " -->");
            if (f.line() > 0) {
                fresh.add(comment.put("line", f.line()).put("side", "RIGHT"));
            } else {
                // A file with no line to attach to (removed, binary, no diff shown): the comment goes on the file.
                onFiles.add(comment.put("commit_id", job.headSha()).put("subject_type", "file"));
            }
        }
        // Before the review, so that a job stopped in between finds these by their marks and posts only the review.
        for (ObjectNode onFile : onFiles) {
            write(job, "POST", repo + "/pulls/" + job.pullNumber() + "/comments", onFile);
        }
        for (Map.Entry<String, JsonNode> old : ours.entrySet()) {
            String body = old.getValue().path("body").asText();
            if (!now.contains(old.getKey()) && !body.startsWith("**Resolved**")) {
                String text = body.substring(0, body.indexOf(MARK)).strip();
                write(job, "PATCH", repo + "/pulls/comments/" + old.getValue().path("id").asLong(),
                        Json.lenient().createObjectNode().put("body", "**Resolved** in " + job.headSha().substring(0, 7) + ".\n\n~~"
                                + text.replace("~~", "") + "~~\n\n" + MARK + old.getKey() + " -->"));
            }
        }
        if (!fresh.isEmpty()) {
            ObjectNode review = Json.lenient().createObjectNode().put("commit_id", job.headSha()).put("event", "COMMENT")
                    .put("body", "ccp policy: " + findings.size() + " finding" + (findings.size() == 1 ? "" : "s")
                            + (fresh.size() + onFiles.size() < findings.size()
                                    ? "; " + (fresh.size() + onFiles.size()) + " commented here, all in the check run" : ""));
            ArrayNode comments = review.putArray("comments");
            fresh.forEach(comments::add);
            write(job, "POST", repo + "/pulls/" + job.pullNumber() + "/reviews", review);
        }
        mark(job, "review_done", true);
    }

    private Progress progress(EntityManager em, GitHubJobs.Job job) {
        List<?> rows = em.createNativeQuery("select check_run_id, annotations_sent, review_done, completed from github_reviews"
                        + " where repo = ?1 and pull_number = ?2 and head_sha = ?3")
                .setParameter(1, job.repo()).setParameter(2, job.pullNumber()).setParameter(3, job.headSha()).getResultList();
        if (rows.isEmpty()) {
            em.createNativeQuery("insert into github_reviews (repo, pull_number, head_sha, annotations_sent, review_done, completed)"
                            + " values (?1, ?2, ?3, 0, ?4, ?4)")
                    .setParameter(1, job.repo()).setParameter(2, job.pullNumber()).setParameter(3, job.headSha()).setParameter(4, false)
                    .executeUpdate();
            return new Progress(null, 0, false, false);
        }
        Object[] row = (Object[]) rows.get(0);
        return new Progress(row[0] == null ? null : ((Number) row[0]).longValue(), ((Number) row[1]).intValue(), truth(row[2]), truth(row[3]));
    }

    private GitHubApi.Answer read(GitHubJobs.Job job, String path) {
        return check(job, api.call(job.installationId(), "GET", path, null));
    }

    /** A write, once the installation's budget allows it. */
    private GitHubApi.Answer write(GitHubJobs.Job job, String method, String path, JsonNode body) {
        Optional<Instant> wait = spend(job);
        if (wait.isPresent()) {
            throw new Later("waiting for the installation's write budget", wait.get(), false);
        }
        return check(job, api.call(job.installationId(), method, path, body));
    }

    /** Spends a write of the installation's budget, renewing the job's lease; {@link Lost} when the job is another node's now. */
    private Optional<Instant> spend(GitHubJobs.Job job) {
        return tx.call(em -> {
            if (!jobs.renew(em, job, clock.instant())) {
                throw new Lost();
            }
            return jobs.spend(em, job.installationId(), clock.instant());
        });
    }

    /** Lets a success through; a rate limit pauses the installation on every node; anything else is tried again later. */
    private GitHubApi.Answer check(GitHubJobs.Job job, GitHubApi.Answer answer) {
        if (answer.ok()) {
            return answer;
        }
        Instant now = clock.instant();
        if (answer.limited()) {
            Instant until = now.plus(answer.retryIn());
            tx.run(em -> jobs.pause(em, job.installationId(), until));
            throw new Later("GitHub asked to wait: " + answer.message(), until, false);
        }
        throw new Later(answer.message(), now.plus(backoff(job.attempts())), true);
    }

    private static Duration backoff(int attempts) {
        return Duration.ofSeconds(Math.min(600, 5L << Math.min(Math.max(attempts - 1, 0), 7)));
    }

    private static ArrayNode annotations(List<Finding> batch) {
        ArrayNode out = Json.lenient().createArrayNode();
        for (Finding f : batch) {
            int line = Math.max(1, f.line());
            out.addObject().put("path", f.path()).put("start_line", line).put("end_line", line)
                    .put("annotation_level", switch (f.severity()) {
                        case ERROR -> "failure";
                        case WARNING -> "warning";
                        default -> "notice";
                    }).put("title", clip(f.title(), 255)).put("message", clip(f.message(), 64_000));
        }
        return out;
    }

    private static String title(List<Finding> findings) {
        long errors = findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).count();
        long warnings = findings.stream().filter(f -> f.severity() == Finding.Severity.WARNING).count();
        return findings.isEmpty() ? "No findings" : errors + " error" + (errors == 1 ? "" : "s") + ", " + warnings + " warning"
                + (warnings == 1 ? "" : "s");
    }

    /** The check run's summary: counts, what was not annotated, and the first findings; under GitHub's 65,535 characters. */
    static String summary(List<Finding> findings, int annotated, PolicyDocument policy) {
        StringBuilder out = new StringBuilder();
        out.append(findings.isEmpty() ? "The pull request follows the org's policy." : findings.size() + " finding"
                + (findings.size() == 1 ? "" : "s") + " against the org's policy (`fail_on: " + policy.review().failOn() + "`).");
        if (annotated < findings.size()) {
            out.append("\n\n").append(findings.size() - annotated).append(" finding").append(findings.size() - annotated == 1 ? " is" : "s are")
                    .append(" not annotated: GitHub shows at most ").append(annotated).append(" here. Fix these and push again to see the rest.");
        }
        if (!findings.isEmpty()) {
            out.append("\n\n| Severity | File | Line | Finding |\n|---|---|---|---|\n");
            for (Finding f : findings) {
                String row = "| " + f.severity().name().toLowerCase(java.util.Locale.ROOT) + " | `" + f.path().replace("|", "\\|") + "` | "
                        + (f.line() > 0 ? f.line() : "") + " | " + f.title().replace("|", "\\|") + " |\n";
                if (out.length() + row.length() > MAX_SUMMARY - 200) {
                    out.append("\n…and more; the annotations list them.");
                    break;
                }
                out.append(row);
            }
        }
        return out.toString();
    }

    /**
     * What makes a finding the same one on the next push: its file, rule and title, and for a
     * secret which one (its masked form is in the message); not counts that change from push to push.
     */
    static String fingerprint(Finding f) {
        return Ids.hash(f.path() + "\n" + f.rule() + "\n" + f.title() + ("secret".equals(f.rule()) ? "\n" + f.message() : "")).substring(0, 16);
    }

    private static PullFile file(JsonNode f) {
        return new PullFile(f.path("filename").asText(""), f.path("status").asText("modified"), f.path("additions").asInt(0),
                f.path("deletions").asInt(0), f.path("changes").asInt(0), f.hasNonNull("patch") ? f.get("patch").asText() : null,
                f.hasNonNull("previous_filename") ? f.get("previous_filename").asText() : null);
    }

    private static boolean truth(Object value) {
        return value instanceof Boolean b ? b : value instanceof Number n && n.intValue() != 0;
    }

    private static String clip(String text, int max) {
        return text == null ? "" : text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
