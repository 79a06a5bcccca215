package dev.ccp.server.runs.control;

import dev.ccp.server.audit.control.Actor;
import dev.ccp.server.audit.control.AuditLog;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.Users;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.Ids;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.runs.entity.Run;
import dev.ccp.server.runs.entity.Runner;
import dev.ccp.spi.wire.RunView;
import dev.ccp.spi.wire.RunnerRequest;
import dev.ccp.spi.wire.RunnerView;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runners of an org: registered by its owners and admins for one workspace each, known by a
 * token kept only as its hash, and claiming that workspace's queued runs one at a time. A runner
 * not heard from for the timeout loses its run, which any node notices ({@link #expire}).
 */
public final class Runners {

    /** How a runner's token starts, so that it is told from an access token before any lookup. */
    public static final String TOKEN_PREFIX = "ccpr_";
    private static final List<String> LIVE = List.of(Run.State.RUNNING.name(), Run.State.WAITING.name());

    private final Runs runs;
    private final AuditLog audit;
    private final Duration timeout;

    public Runners(Runs runs, AuditLog audit, Duration timeout) {
        this.runs = runs;
        this.audit = audit;
        this.timeout = timeout;
    }

    /** A runner that authenticated, and its org. */
    public record Caller(Runner runner, Org org) {
    }

    public Duration timeout() {
        return timeout;
    }

    public RunnerView register(EntityManager em, Principal caller, Org org, RunnerRequest request, Instant now) {
        if (request == null) {
            throw ProblemException.badRequest("send {\"workspace\": \"NAME\", \"name\": \"MACHINE\"}");
        }
        String workspace = text(request.workspace(), "workspace");
        String name = request.name() == null || request.name().isBlank() ? workspace + " runner" : text(request.name(), "name");
        String token = TOKEN_PREFIX + Ids.secret();
        Runner runner = new Runner(Ids.id("rnr"), org.id(), workspace, name, Ids.hash(token), caller.userId(), now);
        em.persist(runner);
        audit.append(em, org.id(), "runner.registered", Actor.user(caller.userId()), Map.of("runner", runner.id()),
                Map.of("workspace", workspace, "name", name), now);
        return view(runner, Users.logins(em, List.of(caller.userId())), token);
    }

    public List<RunnerView> list(EntityManager em, Org org) {
        List<Runner> found = em.createQuery("select r from Runner r where r.orgId = :org order by r.createdAt desc", Runner.class)
                .setParameter("org", org.id()).getResultList();
        Map<String, String> logins = Users.logins(em, found.stream().map(Runner::createdBy).toList());
        return found.stream().map(r -> view(r, logins, null)).toList();
    }

    public void revoke(EntityManager em, Principal caller, Org org, String id, Instant now) {
        Runner runner = id == null ? null : em.find(Runner.class, id);
        if (runner == null || !runner.orgId().equals(org.id())) {
            throw ProblemException.notFound("no runner '" + id + "' in org " + org.slug());
        }
        if (!runner.revoked()) {
            runner.revoke(now);
            audit.append(em, org.id(), "runner.revoked", Actor.user(caller.userId()), Map.of("runner", runner.id()), Map.of(), now);
        }
    }

    /** The runner whose token this is; every authenticated call counts as a sign of life. */
    public Caller authenticate(EntityManager em, String authorization, Instant now) {
        String token = authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? null
                : authorization.substring(7).strip();
        if (token == null || !token.startsWith(TOKEN_PREFIX)) {
            throw ProblemException.unauthorized("send the runner's token as 'Authorization: Bearer ccpr_…'; "
                    + "an owner or admin makes one with `ccp runner register`");
        }
        List<Runner> found = em.createQuery("select r from Runner r where r.tokenHash = :hash", Runner.class)
                .setParameter("hash", Ids.hash(token)).getResultList();
        if (found.isEmpty() || found.get(0).revoked()) {
            throw ProblemException.unauthorized("this runner's token was revoked or is unknown; register the runner again");
        }
        Runner runner = found.get(0);
        runner.seen(now);
        return new Caller(runner, em.find(Org.class, runner.orgId()));
    }

    /** Says the runner is alive, and so is the run it carries out. */
    public void heartbeat(EntityManager em, Caller caller, Instant now) {
        em.createQuery("update Run r set r.heartbeatAt = :now where r.runnerId = :runner and r.state in :live")
                .setParameter("now", now).setParameter("runner", caller.runner().id()).setParameter("live", LIVE).executeUpdate();
    }

    /**
     * The oldest queued run of the runner's workspace, now running under it; empty while there is
     * none, or while another live runner carries out a run of the workspace. Claims of one
     * workspace take turns on its runners' rows, so two never start two runs of it at once.
     */
    public Optional<RunView> claim(EntityManager em, Caller caller, Instant now) {
        Runner runner = caller.runner();
        em.createQuery("select r from Runner r where r.orgId = :org and r.workspace = :workspace", Runner.class)
                .setParameter("org", runner.orgId()).setParameter("workspace", runner.workspace())
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
        for (Run held : em.createQuery("select r from Run r where r.runnerId = :runner and r.state in :live", Run.class)
                .setParameter("runner", runner.id()).setParameter("live", LIVE).getResultList()) {
            runs.lost(em, held, "the runner restarted while carrying out this run; its steps are kept", now);
        }
        long busy = em.createQuery("select count(r) from Run r where r.orgId = :org and r.workspaceName = :workspace"
                        + " and r.state in :live and r.runnerId is not null and r.heartbeatAt >= :alive", Long.class)
                .setParameter("org", runner.orgId()).setParameter("workspace", runner.workspace()).setParameter("live", LIVE)
                .setParameter("alive", now.minus(timeout)).getSingleResult();
        if (busy > 0) {
            return Optional.empty();
        }
        List<Run> queued = em.createQuery("select r from Run r where r.orgId = :org and r.workspaceName = :workspace"
                        + " and r.state = :queued order by r.createdAt, r.id", Run.class)
                .setParameter("org", runner.orgId()).setParameter("workspace", runner.workspace())
                .setParameter("queued", Run.State.QUEUED.name()).setMaxResults(1).getResultList();
        if (queued.isEmpty()) {
            return Optional.empty();
        }
        Run run = queued.get(0);
        int claimed = em.createQuery("update Run r set r.state = :running, r.runnerId = :runner, r.heartbeatAt = :now"
                        + " where r.id = :id and r.state = :queued")
                .setParameter("running", Run.State.RUNNING.name()).setParameter("runner", runner.id()).setParameter("now", now)
                .setParameter("id", run.id()).setParameter("queued", Run.State.QUEUED.name()).executeUpdate();
        if (claimed == 0) {
            return Optional.empty();
        }
        em.refresh(run);
        runs.claimed(em, run, runner.name(), now);
        audit.append(em, runner.orgId(), "run.claimed", new Actor("runner", runner.id()), Map.of("run", run.id()),
                Map.of("workspace", runner.workspace()), now);
        return Optional.of(runs.view(em, run, List.of()));
    }

    /**
     * Fails the runs whose runner has not been heard from for the timeout, on whichever node runs
     * this first; the others find them ended already.
     *
     * @return the runs it failed
     */
    public List<String> expire(EntityManager em, Instant now) {
        List<Run> lost = em.createQuery("select r from Run r where r.runnerId is not null and r.state in :live"
                        + " and r.heartbeatAt < :alive", Run.class)
                .setParameter("live", LIVE).setParameter("alive", now.minus(timeout)).setMaxResults(100).getResultList();
        return lost.stream().filter(run -> runs.lost(em, run, "its runner has not been heard from for "
                + timeout.toSeconds() + " s; its steps are kept", now)).map(Run::id).toList();
    }

    private static RunnerView view(Runner runner, Map<String, String> logins, String token) {
        return new RunnerView(runner.id(), runner.workspace(), runner.name(), runner.createdAt(),
                logins.getOrDefault(runner.createdBy(), runner.createdBy()), runner.lastSeenAt(), runner.revoked(), token);
    }

    private static String text(String value, String what) {
        if (value == null || value.isBlank()) {
            throw ProblemException.badRequest(what + " is required");
        }
        if (value.length() > 200 || value.chars().anyMatch(c -> c < 0x20)) {
            throw ProblemException.badRequest(what + " must be at most 200 characters, without control characters");
        }
        return value.strip();
    }
}
