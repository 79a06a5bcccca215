package dev.ccp.server.github.control;

import dev.ccp.server.platform.Ids;
import dev.ccp.server.platform.database.UtcInstantConverter;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The reviews the webhooks leave to do, kept in the database so that they survive a restart and
 * any node does them. A node takes a due job with one conditional update that sets its lease; a job
 * whose node died is taken again once its lease has passed. A pull request has one job running at a
 * time, and a push supersedes the queued review of the commit before it.
 *
 * <p>Writes to GitHub are counted per installation in a window shared by every node, and an
 * installation GitHub asked to wait (a secondary rate limit, {@code retry-after}) is paused for
 * every node until then.
 */
public final class GitHubJobs {

    static final Duration LEASE = Duration.ofMinutes(2);
    static final int MAX_ATTEMPTS = 8;

    /** A job one node took, with the token of its lease. */
    public record Job(String id, long installationId, String repo, int pullNumber, String headSha, int attempts, String lease) {
    }

    private final int writesPerWindow;
    private final Duration window;

    public GitHubJobs(int writesPerWindow, Duration window) {
        this.writesPerWindow = writesPerWindow;
        this.window = window;
    }

    /**
     * Queues the review of a head commit, unless it is queued already (one running now is not
     * enough: what it did is kept, and the new job goes on from there once it ends); older queued
     * commits of the pull request are dropped.
     */
    public boolean enqueue(EntityManager em, long installationId, String repo, int pullNumber, String headSha, Instant now) {
        em.createNativeQuery("update github_jobs set state = 'superseded', active_key = null, updated_at = ?4 where repo = ?1 and pull_number = ?2"
                        + " and state = 'queued' and head_sha <> ?3")
                .setParameter(1, repo).setParameter(2, pullNumber).setParameter(3, headSha).setParameter(4, UtcInstantConverter.column(now))
                .executeUpdate();
        boolean pending = !em.createNativeQuery("select 1 from github_jobs where repo = ?1 and pull_number = ?2 and head_sha = ?3"
                        + " and state = 'queued'")
                .setParameter(1, repo).setParameter(2, pullNumber).setParameter(3, headSha).getResultList().isEmpty();
        if (pending) {
            return false;
        }
        em.createNativeQuery("insert into github_jobs (id, installation_id, repo, pull_number, head_sha, state, attempts, not_before,"
                        + " created_at, updated_at, active_key) values (?1, ?2, ?3, ?4, ?5, 'queued', 0, ?6, ?6, ?6, ?7)")
                .setParameter(1, Ids.id("ghj")).setParameter(2, installationId).setParameter(3, repo).setParameter(4, pullNumber)
                .setParameter(5, headSha).setParameter(6, UtcInstantConverter.column(now)).setParameter(7, repo + "#" + pullNumber + "@" + headSha)
                .executeUpdate();
        return true;
    }

    /** The ids of jobs that are due: queued and not waiting, or running on a node whose lease ran out. */
    public List<String> due(EntityManager em, Instant now, int most) {
        return em.createNativeQuery("select j.id from github_jobs j where j.not_before <= ?1"
                        + " and (j.state = 'queued' or (j.state = 'running' and j.lease_until < ?1))"
                        + " and not exists (select 1 from github_jobs r where r.repo = j.repo and r.pull_number = j.pull_number"
                        + " and r.id <> j.id and r.state = 'running' and r.lease_until >= ?1)"
                        + " and not exists (select 1 from github_budgets b where b.installation_id = j.installation_id and b.paused_until > ?1)"
                        + " order by j.created_at")
                .setParameter(1, UtcInstantConverter.column(now)).setMaxResults(most).getResultList().stream().map(String.class::cast).toList();
    }

    /**
     * Takes a due job for this node; empty when another node took it first, or another job of the
     * same pull request runs now.
     */
    public Optional<Job> take(EntityManager em, String id, Instant now) {
        String lease = Ids.id("lease");
        int taken = em.createNativeQuery("update github_jobs set state = 'running', lease_until = ?2, lease_token = ?4, active_key = null,"
                        + " attempts = attempts + 1, updated_at = ?3"
                        + " where id = ?1 and not_before <= ?3 and (state = 'queued' or (state = 'running' and lease_until < ?3))"
                        + " and not exists (select 1 from github_budgets b where b.installation_id = github_jobs.installation_id"
                        + " and b.paused_until > ?3)"
                        + " and not exists (select 1 from github_jobs r where r.repo = github_jobs.repo"
                        + " and r.pull_number = github_jobs.pull_number and r.id <> github_jobs.id and r.state = 'running'"
                        + " and r.lease_until >= ?3)")
                .setParameter(1, id).setParameter(2, UtcInstantConverter.column(now.plus(LEASE))).setParameter(3, UtcInstantConverter.column(now))
                .setParameter(4, lease).executeUpdate();
        if (taken == 0) {
            return Optional.empty();
        }
        Object[] row = (Object[]) em.createNativeQuery("select id, installation_id, repo, pull_number, head_sha, attempts from github_jobs where id = ?1")
                .setParameter(1, id).getSingleResult();
        return Optional.of(new Job((String) row[0], ((Number) row[1]).longValue(), (String) row[2], ((Number) row[3]).intValue(),
                (String) row[4], ((Number) row[5]).intValue(), lease));
    }

    /** Extends a job's lease while its review goes on; false when the lease ran out and another node has the job now. */
    public boolean renew(EntityManager em, Job job, Instant now) {
        return em.createNativeQuery("update github_jobs set lease_until = ?3 where id = ?1 and lease_token = ?2 and state = 'running'")
                .setParameter(1, job.id()).setParameter(2, job.lease()).setParameter(3, UtcInstantConverter.column(now.plus(LEASE)))
                .executeUpdate() == 1;
    }

    /** Ends a job: done, or failed for good with why. */
    public void end(EntityManager em, Job job, boolean done, String message, Instant now) {
        em.createNativeQuery("update github_jobs set state = ?2, lease_until = null, lease_token = null, active_key = null, message = ?3,"
                        + " updated_at = ?4"
                        + " where id = ?1 and lease_token = ?5")
                .setParameter(1, job.id()).setParameter(2, done ? "done" : "failed").setParameter(3, clip(message))
                .setParameter(4, UtcInstantConverter.column(now)).setParameter(5, job.lease()).executeUpdate();
    }

    /** Puts a job back in the queue until {@code when}, keeping what it did; it fails for good after too many tries. */
    public void later(EntityManager em, Job job, Instant when, String why, boolean counts, Instant now) {
        if (counts && job.attempts() >= MAX_ATTEMPTS) {
            end(em, job, false, why, now);
            return;
        }
        em.createNativeQuery("update github_jobs set state = 'queued', lease_until = null, lease_token = null, not_before = ?2, message = ?3,"
                        + " updated_at = ?4, attempts = attempts - ?5 where id = ?1 and lease_token = ?6")
                .setParameter(1, job.id()).setParameter(2, UtcInstantConverter.column(when)).setParameter(3, clip(why))
                .setParameter(4, UtcInstantConverter.column(now)).setParameter(5, counts ? 0 : 1).setParameter(6, job.lease()).executeUpdate();
    }

    /**
     * Takes one write from an installation's budget; empty when the budget is spent or GitHub asked
     * it to wait, with when to try again.
     */
    public Optional<Instant> spend(EntityManager em, long installationId, Instant now) {
        List<?> rows = em.createNativeQuery("select window_start, writes, paused_until from github_budgets where installation_id = ?1")
                .setParameter(1, installationId).getResultList();
        if (rows.isEmpty()) {
            // The first write of an installation; a concurrent first one fails this insert and runs again.
            em.createNativeQuery("insert into github_budgets (installation_id, window_start, writes) values (?1, ?2, 1)")
                    .setParameter(1, installationId).setParameter(2, UtcInstantConverter.column(now)).executeUpdate();
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        Instant paused = row[2] == null ? null : UtcInstantConverter.instant(row[2]);
        if (paused != null && paused.isAfter(now)) {
            return Optional.of(paused);
        }
        Instant start = UtcInstantConverter.instant(row[0]);
        int writes = ((Number) row[1]).intValue();
        boolean fresh = !now.isBefore(start.plus(window));
        if (!fresh && writes >= writesPerWindow) {
            return Optional.of(start.plus(window));
        }
        // Conditional on what was read, so that two nodes spending at once cannot both take the last write.
        int updated = em.createNativeQuery("update github_budgets set window_start = ?2, writes = ?3 where installation_id = ?1"
                        + " and window_start = ?4 and writes = ?5")
                .setParameter(1, installationId).setParameter(2, UtcInstantConverter.column(fresh ? now : start))
                .setParameter(3, fresh ? 1 : writes + 1).setParameter(4, row[0]).setParameter(5, writes).executeUpdate();
        return updated == 1 ? Optional.empty() : Optional.of(now.plusSeconds(1));
    }

    /** Pauses every node's writes and reads for an installation until GitHub's wait is over. */
    public void pause(EntityManager em, long installationId, Instant until) {
        int updated = em.createNativeQuery("update github_budgets set paused_until = ?2 where installation_id = ?1")
                .setParameter(1, installationId).setParameter(2, UtcInstantConverter.column(until)).executeUpdate();
        if (updated == 0) {
            em.createNativeQuery("insert into github_budgets (installation_id, window_start, writes, paused_until) values (?1, ?2, 0, ?2)")
                    .setParameter(1, installationId).setParameter(2, UtcInstantConverter.column(until)).executeUpdate();
        }
    }

    /** Forgets deliveries older than GitHub redelivers, and jobs long ended; answers how many rows went. */
    public static int prune(EntityManager em, Instant now) {
        int deliveries = em.createNativeQuery("delete from github_deliveries where received_at < ?1")
                .setParameter(1, UtcInstantConverter.column(now.minus(Duration.ofDays(7)))).executeUpdate();
        return deliveries + em.createNativeQuery("delete from github_jobs where state in ('done', 'failed', 'superseded') and updated_at < ?1")
                .setParameter(1, UtcInstantConverter.column(now.minus(Duration.ofDays(7)))).executeUpdate();
    }

    private static String clip(String text) {
        return text == null || text.length() <= 2000 ? text : text.substring(0, 2000);
    }
}
