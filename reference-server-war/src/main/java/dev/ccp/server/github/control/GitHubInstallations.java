package dev.ccp.server.github.control;

import dev.ccp.server.audit.control.Actor;
import dev.ccp.server.audit.control.AuditLog;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.database.UtcInstantConverter;
import dev.ccp.server.platform.http.ProblemException;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Installations of the GitHub App and the CCP org each is connected to. An owner or admin connects
 * one (from the installation's setup redirect, or {@code ccp github connect}); an installation
 * connected to one org stays with it until it is uninstalled, or an owner or admin of that org
 * disconnects it.
 */
public final class GitHubInstallations {

    private final GitHubApi api;
    private final AuditLog audit;

    public GitHubInstallations(GitHubApi api, AuditLog audit) {
        this.api = api;
        this.audit = audit;
    }

    public boolean configured() {
        return api.configured();
    }

    /**
     * The account an installation is on, once GitHub confirmed that the person connecting it
     * administers that account: it is their own GitHub user, or they are an owner of the GitHub
     * organization (asked as the installation, which needs the app's "Members: read" permission).
     * Without this, anyone could connect any installation and have their policy review another
     * company's pull requests. Null when GitHub knows no such installation. Called outside any
     * transaction, since GitHub may be slow.
     *
     * @param githubLogin the GitHub login of the person connecting, as they signed in; null when they have none
     */
    public String account(long id, String githubLogin) {
        if (!api.configured()) {
            throw new ProblemException(503, "github-not-configured", "GitHub App not configured",
                    "this server has no GitHub App: the operator sets CCP_GITHUB_APP_ID and CCP_GITHUB_PRIVATE_KEY (see docs/github-app.md)");
        }
        GitHubApi.Answer answer = api.installation(id);
        if (answer.status() == 404) {
            return null;
        }
        if (!answer.ok()) {
            throw unavailable(answer);
        }
        String account = answer.body().path("account").path("login").asText("");
        if (githubLogin == null || !githubLogin.matches("[A-Za-z0-9-]{1,39}")) {
            throw ProblemException.forbidden("connecting a GitHub installation needs your GitHub account, to check that you administer "
                    + "the account it is installed on: sign in with GitHub and try again");
        }
        if ("User".equals(answer.body().path("account").path("type").asText())) {
            if (!account.equalsIgnoreCase(githubLogin)) {
                throw ProblemException.forbidden("installation " + id + " is on the GitHub account " + account + ", and you are "
                        + githubLogin + "; its owner connects it");
            }
            return account;
        }
        if (!account.matches("[A-Za-z0-9-]{1,39}")) {
            throw ProblemException.badRequest("installation " + id + " is on an account GitHub names oddly: " + account);
        }
        GitHubApi.Answer membership = api.call(id, "GET", "/orgs/" + account + "/memberships/" + githubLogin, null);
        if (membership.status() / 100 == 5 || membership.status() == 0 || membership.limited()) {
            throw unavailable(membership);
        }
        if (!membership.ok() || !"admin".equals(membership.body().path("role").asText()) || !"active".equals(membership.body().path("state").asText())) {
            throw ProblemException.forbidden("installation " + id + " is on the GitHub organization " + account + ", and " + githubLogin
                    + " is not one of its owners; an owner of it connects the installation");
        }
        return account;
    }

    private static ProblemException unavailable(GitHubApi.Answer answer) {
        return new ProblemException(502, "github", "GitHub failed", answer.message() + "; try again in a minute");
    }

    /** An installation as the pages and the API show it. */
    public record View(long id, String account, boolean connected) {
    }

    /**
     * Connects an installation to an org the caller manages (the caller checked that). {@code account} is the installation's account as
     * GitHub told the app (by webhook or by asking); null when GitHub does not know the installation.
     */
    public View connect(EntityManager em, Principal caller, Org org, long id, String account, Instant now) {
        if (account == null) {
            throw ProblemException.notFound("GitHub knows no installation " + id + " of this app; install the app on GitHub first");
        }
        List<?> rows = em.createNativeQuery("select org_id from github_installations where id = ?1 and deleted_at is null")
                .setParameter(1, id).getResultList();
        if (!rows.isEmpty() && rows.get(0) != null && !org.id().equals(rows.get(0))) {
            throw taken(id);
        }
        if (rows.isEmpty()) {
            em.createNativeQuery("delete from github_installations where id = ?1").setParameter(1, id).executeUpdate(); // an uninstalled one
            em.createNativeQuery("insert into github_installations (id, account, org_id, connected_by, connected_at, created_at)"
                            + " values (?1, ?2, ?3, ?4, ?5, ?5)")
                    .setParameter(1, id).setParameter(2, account).setParameter(3, org.id()).setParameter(4, caller.userId())
                    .setParameter(5, UtcInstantConverter.column(now)).executeUpdate();
        } else {
            // Conditional, so that of two orgs connecting one installation at once only one does.
            int connected = em.createNativeQuery("update github_installations set org_id = ?2, connected_by = ?3, connected_at = ?4,"
                            + " account = ?5 where id = ?1 and (org_id is null or org_id = ?2)")
                    .setParameter(1, id).setParameter(2, org.id()).setParameter(3, caller.userId())
                    .setParameter(4, UtcInstantConverter.column(now)).setParameter(5, account).executeUpdate();
            if (connected == 0) {
                throw taken(id);
            }
        }
        audit.append(em, org.id(), "github.connected", Actor.user(caller.userId()), Map.of("github_installation", id),
                Map.of("account", account), now);
        return new View(id, account, true);
    }

    private static ProblemException taken(long id) {
        return ProblemException.conflict("github-installation-taken", "Installation connected elsewhere", "GitHub installation " + id
                + " is connected to another CCP org; an owner or admin there disconnects it first");
    }

    /**
     * Disconnects an installation from an org the caller manages (the caller checked that): its pull
     * requests are no longer reviewed, reviews already queued end without a word, and any org may
     * connect it again. The app stays installed on GitHub; uninstalling it there is GitHub's business.
     * An installation this org does not have is not found, whether another org has it or nobody does.
     */
    public void disconnect(EntityManager em, Principal caller, Org org, long id, Instant now) {
        int disconnected = em.createNativeQuery("update github_installations set org_id = null, connected_by = null, connected_at = null"
                        + " where id = ?1 and org_id = ?2 and deleted_at is null")
                .setParameter(1, id).setParameter(2, org.id()).executeUpdate();
        if (disconnected == 0) {
            throw ProblemException.notFound("GitHub installation " + id + " is not connected to this org");
        }
        audit.append(em, org.id(), "github.disconnected", Actor.user(caller.userId()), Map.of("github_installation", id), Map.of(), now);
    }

    /** The installations connected to an org. */
    public List<View> list(EntityManager em, Org org) {
        return em.createNativeQuery("select id, account from github_installations where org_id = ?1 and deleted_at is null order by id")
                .setParameter(1, org.id()).getResultList().stream().map(r -> {
                    Object[] row = (Object[]) r;
                    return new View(((Number) row[0]).longValue(), (String) row[1], true);
                }).toList();
    }
}
