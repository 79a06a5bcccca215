package dev.ccp.server.slack.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.server.audit.control.Actor;
import dev.ccp.server.audit.control.AuditLog;
import dev.ccp.server.keys.control.SecretBox;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.identity.control.Users;
import dev.ccp.server.org.control.Accounts;
import dev.ccp.server.org.entity.Membership;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.Ids;
import dev.ccp.server.platform.database.UtcInstantConverter;
import dev.ccp.server.platform.http.ProblemException;
import jakarta.persistence.EntityManager;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Slack workspaces ("teams") the app is installed in, each connected to one CCP org by an owner
 * or admin of it through Slack's OAuth v2 install; the Slack users who linked their CCP account by
 * signing in on the web; and each channel's default workspace for {@code /ccp run}.
 */
public final class SlackTeams {

    static final Duration INSTALL_TTL = Duration.ofMinutes(10);
    public static final Duration LINK_TTL = Duration.ofMinutes(15);

    private final SlackApi api;
    private final AuditLog audit;
    /** Seals the bot tokens in the database. */
    private final SecretBox secrets;

    public SlackTeams(SlackApi api, AuditLog audit, SecretBox secrets) {
        this.api = api;
        this.secrets = secrets;
        this.audit = audit;
    }

    /** A team the app is installed in; its bot token stays in this object and the database. */
    public record Team(String id, String name, String orgId, String botToken, String botUserId) {
        @Override
        public String toString() {
            return "Team[" + id + " " + name + ", org " + orgId + "]";
        }
    }

    /** What the admin page shows of a team. */
    public record TeamView(String id, String name, String installedBy, Instant installedAt, long linked, List<String[]> channels) {
    }

    /** An install begun: the state that comes back from Slack, and where to send the browser. */
    public record Install(String state, URI authorize) {
    }

    /** A link a Slack user asked for with {@code /ccp link}, still open. */
    public record PendingLink(String teamId, String teamName, String slackUser, Org org) {
    }

    public boolean installable() {
        return api.installable();
    }

    /** Begins an install for the caller's org; only owners and admins connect a team. */
    public Install beginInstall(EntityManager em, Principal caller, Org org, Membership.Role role, String redirectUri, Instant now) {
        if (!api.installable()) {
            throw new ProblemException(503, "slack-not-configured", "Slack not configured",
                    "this server has no Slack app: the operator sets CCP_SLACK_CLIENT_ID and CCP_SLACK_CLIENT_SECRET (see docs/slack.md)");
        }
        if (!role.manages()) {
            throw ProblemException.forbidden("only owners and admins of " + org.slug() + " connect a Slack workspace");
        }
        String state = Ids.secret();
        grant(em, state, "install", null, null, org.id(), caller.userId(), now.plus(INSTALL_TTL));
        return new Install(state, api.authorize(state, redirectUri));
    }

    /** The org and person an install's state was given to, taken once; empty when unknown, used or expired. */
    public Optional<String[]> takeInstall(EntityManager em, String state, Instant now) {
        return take(em, state, "install", now).map(row -> new String[] {(String) row[2], (String) row[3]});
    }

    /** Asks Slack for the team's bot token; outside any transaction, since Slack may be slow. */
    public SlackApi.Answer exchange(String code, String redirectUri) {
        return api.oauthAccess(code, redirectUri);
    }

    /**
     * Keeps the team Slack installed the app in, connected to the org the install was begun for. A
     * team already connected to another org stays with it: its owners disconnect it first.
     */
    public Team installed(EntityManager em, String orgId, String userId, JsonNode access, Instant now) {
        String teamId = access.path("team").path("id").asText("");
        String token = access.path("access_token").asText("");
        if (!teamId.matches("[A-Z0-9]{1,32}") || !token.startsWith("xoxb-") || token.length() > 512) {
            // A rotating token (xoxe.xoxb-) expires in 12 hours; the app is set up with rotation off (docs/slack.md).
            throw new ProblemException(502, "slack-install", "Slack install failed", "Slack's answer carried no team or long-lived bot token");
        }
        String name = clip(access.path("team").path("name").asText(teamId), 200);
        Optional<Team> known = find(em, teamId, false);
        if (known.isPresent() && !known.get().orgId().equals(orgId)) {
            throw ProblemException.conflict("slack-team-taken", "Slack workspace connected elsewhere", "Slack workspace " + name
                    + " is connected to another CCP org; an owner or admin of that org disconnects it first");
        }
        String sealed = secrets.seal(token, SecretBox.context("slack_teams", "bot_token", teamId));
        if (known.isPresent()) {
            em.createNativeQuery("update slack_teams set team_name = ?2, app_id = ?3, bot_user_id = ?4, bot_token = ?5, scopes = ?6,"
                            + " installed_by = ?7, installed_at = ?8 where team_id = ?1")
                    .setParameter(1, teamId).setParameter(2, name).setParameter(3, text(access, "app_id"))
                    .setParameter(4, text(access, "bot_user_id")).setParameter(5, sealed).setParameter(6, clip(access.path("scope").asText(""), 1000))
                    .setParameter(7, userId).setParameter(8, UtcInstantConverter.column(now)).executeUpdate();
        } else {
            em.createNativeQuery("insert into slack_teams (team_id, team_name, org_id, app_id, bot_user_id, bot_token, scopes,"
                            + " installed_by, installed_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
                    .setParameter(1, teamId).setParameter(2, name).setParameter(3, orgId).setParameter(4, text(access, "app_id"))
                    .setParameter(5, text(access, "bot_user_id")).setParameter(6, sealed).setParameter(7, clip(access.path("scope").asText(""), 1000))
                    .setParameter(8, userId).setParameter(9, UtcInstantConverter.column(now)).executeUpdate();
        }
        audit.append(em, orgId, "slack.installed", Actor.user(userId), Map.of("slack_team", teamId), Map.of("name", name), now);
        return new Team(teamId, name, orgId, token, text(access, "bot_user_id"));
    }

    /** A connected team, with its bot token to call Slack with. */
    public Optional<Team> team(EntityManager em, String teamId) {
        return find(em, teamId, true);
    }

    /**
     * A connected team, its bot token opened only when {@code open}: null otherwise, so that a
     * workspace whose token no longer opens can still be added again or disconnected.
     */
    private Optional<Team> find(EntityManager em, String teamId, boolean open) {
        List<?> rows = em.createNativeQuery("select team_id, team_name, org_id, bot_token, bot_user_id from slack_teams where team_id = ?1")
                .setParameter(1, teamId).getResultList();
        return rows.stream().findFirst().map(r -> {
            Object[] row = (Object[]) r;
            String token = open ? secrets.open((String) row[3], SecretBox.context("slack_teams", "bot_token", (String) row[0])) : null;
            return new Team((String) row[0], (String) row[1], (String) row[2], token, (String) row[4]);
        });
    }

    /** The teams connected to an org, for its admin page. */
    public List<TeamView> teams(EntityManager em, Org org) {
        List<TeamView> teams = new ArrayList<>();
        for (Object r : em.createNativeQuery("select t.team_id, t.team_name, t.installed_by, t.installed_at,"
                        + " (select count(*) from slack_links l where l.team_id = t.team_id) from slack_teams t where t.org_id = ?1"
                        + " order by t.installed_at").setParameter(1, org.id()).getResultList()) {
            Object[] row = (Object[]) r;
            List<String[]> channels = new ArrayList<>();
            for (Object c : em.createNativeQuery("select channel_id, workspace from slack_channels where team_id = ?1 order by channel_id")
                    .setParameter(1, row[0]).getResultList()) {
                Object[] channel = (Object[]) c;
                channels.add(new String[] {(String) channel[0], (String) channel[1]});
            }
            String by = (String) row[2];
            teams.add(new TeamView((String) row[0], (String) row[1], Users.logins(em, List.of(by)).getOrDefault(by, by),
                    UtcInstantConverter.instant(row[3]), ((Number) row[4]).longValue(), channels));
        }
        return teams;
    }

    /** Disconnects a team from the org: its links and channel settings go with it; the app stays installed in Slack. */
    public void disconnect(EntityManager em, Principal caller, Org org, String teamId, Instant now) {
        Optional<Team> team = teamId == null ? Optional.empty() : find(em, teamId, false).filter(t -> t.orgId().equals(org.id()));
        if (team.isEmpty()) {
            throw ProblemException.notFound("no Slack workspace '" + teamId + "' is connected to " + org.slug());
        }
        em.createNativeQuery("delete from slack_links where team_id = ?1").setParameter(1, teamId).executeUpdate();
        em.createNativeQuery("delete from slack_channels where team_id = ?1").setParameter(1, teamId).executeUpdate();
        em.createNativeQuery("delete from slack_teams where team_id = ?1").setParameter(1, teamId).executeUpdate();
        audit.append(em, org.id(), "slack.disconnected", Actor.user(caller.userId()), Map.of("slack_team", teamId),
                Map.of("name", team.get().name()), now);
    }

    /** A single-use link for a Slack user to prove who they are on the web; the secret is returned once and kept as a hash. */
    public String linkCode(EntityManager em, Team team, String slackUser, Instant now) {
        String code = Ids.secret();
        grant(em, code, "link", team.id(), slackUser, team.orgId(), null, now.plus(LINK_TTL));
        return code;
    }

    /** The link a code opens, while it is open. */
    public Optional<PendingLink> pendingLink(EntityManager em, String code, Instant now) {
        if (code == null || code.length() > 100) {
            return Optional.empty();
        }
        List<?> rows = em.createNativeQuery("select g.team_id, t.team_name, g.slack_user, t.org_id from slack_grants g"
                        + " join slack_teams t on t.team_id = g.team_id where g.id = ?1 and g.kind = 'link' and g.used_at is null"
                        + " and g.expires_at > ?2")
                .setParameter(1, Ids.hash(code)).setParameter(2, UtcInstantConverter.column(now)).getResultList();
        return rows.stream().findFirst().map(r -> {
            Object[] row = (Object[]) r;
            return new PendingLink((String) row[0], (String) row[1], (String) row[2], em.find(Org.class, row[3]));
        });
    }

    /**
     * Links the Slack user a code was given to to the signed-in person, who must be a member of the
     * team's org; the code is used up. Empty when the code was used or expired meanwhile.
     */
    public Optional<PendingLink> link(EntityManager em, String code, String userId, Instant now) {
        Optional<PendingLink> pending = pendingLink(em, code, now);
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        PendingLink link = pending.get();
        if (Accounts.membership(em, link.org().id(), userId).filter(m -> !m.pending()).isEmpty()) {
            throw ProblemException.forbidden("this Slack workspace is connected to " + link.org().slug()
                    + ", and you are not a member of it; sign in with the account you use there");
        }
        if (take(em, code, "link", now).isEmpty()) {
            return Optional.empty();
        }
        int updated = em.createNativeQuery("update slack_links set user_id = ?3, linked_at = ?4 where team_id = ?1 and slack_user = ?2")
                .setParameter(1, link.teamId()).setParameter(2, link.slackUser()).setParameter(3, userId)
                .setParameter(4, UtcInstantConverter.column(now)).executeUpdate();
        if (updated == 0) {
            em.createNativeQuery("insert into slack_links (team_id, slack_user, user_id, linked_at) values (?1, ?2, ?3, ?4)")
                    .setParameter(1, link.teamId()).setParameter(2, link.slackUser()).setParameter(3, userId)
                    .setParameter(4, UtcInstantConverter.column(now)).executeUpdate();
        }
        audit.append(em, link.org().id(), "slack.linked", Actor.user(userId), Map.of("slack_team", link.teamId()),
                Map.of("slack_user", link.slackUser()), now);
        return pending;
    }

    /** Forgets a Slack user's link; whether there was one. */
    public boolean unlink(EntityManager em, Team team, String slackUser, Instant now) {
        Optional<String> user = linkedUser(em, team.id(), slackUser);
        if (user.isEmpty()) {
            return false;
        }
        em.createNativeQuery("delete from slack_links where team_id = ?1 and slack_user = ?2").setParameter(1, team.id())
                .setParameter(2, slackUser).executeUpdate();
        audit.append(em, team.orgId(), "slack.unlinked", Actor.user(user.get()), Map.of("slack_team", team.id()),
                Map.of("slack_user", slackUser), now);
        return true;
    }

    /** A Slack user who linked their CCP account, which is a member of the team's org. */
    public record Member(Team team, Org org, String userId, Membership.Role role) {
        public Principal principal() {
            return new Principal(userId, org.id(), null, "slack");
        }
    }

    /** The member a Slack user acts as; 403 saying what to do when they linked no account, or it is not the org's. */
    public Member member(EntityManager em, Team team, String slackUser) {
        Org org = em.find(Org.class, team.orgId());
        String userId = linkedUser(em, team.id(), slackUser).orElseThrow(() -> ProblemException.forbidden(
                "link your Slack account to CCP first: `/ccp link`"));
        Membership membership = Accounts.membership(em, org.id(), userId).filter(m -> !m.pending()).orElseThrow(() ->
                ProblemException.forbidden("your CCP account is not a member of " + org.slug() + ", which this Slack workspace is connected to"));
        return new Member(team, org, userId, membership.role());
    }

    /** The CCP user a Slack user linked to, if they did. */
    public Optional<String> linkedUser(EntityManager em, String teamId, String slackUser) {
        return em.createNativeQuery("select user_id from slack_links where team_id = ?1 and slack_user = ?2")
                .setParameter(1, teamId).setParameter(2, slackUser).getResultList().stream().findFirst().map(String.class::cast);
    }

    public Optional<String> channelWorkspace(EntityManager em, String teamId, String channelId) {
        return em.createNativeQuery("select workspace from slack_channels where team_id = ?1 and channel_id = ?2")
                .setParameter(1, teamId).setParameter(2, channelId).getResultList().stream().findFirst().map(String.class::cast);
    }

    public void channelWorkspace(EntityManager em, Team team, String channelId, String workspace, String userId, Instant now) {
        int updated = em.createNativeQuery("update slack_channels set workspace = ?3, set_by = ?4, set_at = ?5"
                        + " where team_id = ?1 and channel_id = ?2")
                .setParameter(1, team.id()).setParameter(2, channelId).setParameter(3, workspace).setParameter(4, userId)
                .setParameter(5, UtcInstantConverter.column(now)).executeUpdate();
        if (updated == 0) {
            em.createNativeQuery("insert into slack_channels (team_id, channel_id, workspace, set_by, set_at) values (?1, ?2, ?3, ?4, ?5)")
                    .setParameter(1, team.id()).setParameter(2, channelId).setParameter(3, workspace).setParameter(4, userId)
                    .setParameter(5, UtcInstantConverter.column(now)).executeUpdate();
        }
        audit.append(em, team.orgId(), "slack.channel.workspace", Actor.user(userId), Map.of("slack_team", team.id()),
                Map.of("channel", channelId, "workspace", workspace), now);
    }

    /** Forgets grants that can no longer be used; answers how many. */
    public static int prune(EntityManager em, Instant now) {
        return em.createNativeQuery("delete from slack_grants where expires_at < ?1")
                .setParameter(1, UtcInstantConverter.column(now)).executeUpdate();
    }

    private static void grant(EntityManager em, String secret, String kind, String teamId, String slackUser, String orgId, String userId,
            Instant expires) {
        em.createNativeQuery("insert into slack_grants (id, kind, team_id, slack_user, org_id, user_id, expires_at)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .setParameter(1, Ids.hash(secret)).setParameter(2, kind).setParameter(3, teamId).setParameter(4, slackUser)
                .setParameter(5, orgId).setParameter(6, userId).setParameter(7, UtcInstantConverter.column(expires)).executeUpdate();
    }

    /** Uses a grant up: one conditional update, so of two racing uses one gets it. */
    private static Optional<Object[]> take(EntityManager em, String secret, String kind, Instant now) {
        if (secret == null || secret.length() > 100) {
            return Optional.empty();
        }
        String id = Ids.hash(secret);
        int taken = em.createNativeQuery("update slack_grants set used_at = ?3 where id = ?1 and kind = ?2 and used_at is null"
                        + " and expires_at > ?3")
                .setParameter(1, id).setParameter(2, kind).setParameter(3, UtcInstantConverter.column(now)).executeUpdate();
        if (taken == 0) {
            return Optional.empty();
        }
        Object[] row = (Object[]) em.createNativeQuery("select team_id, slack_user, org_id, user_id from slack_grants where id = ?1")
                .setParameter(1, id).getSingleResult();
        return Optional.of(row);
    }

    /** An id Slack gave (app, bot user), at most as long as its column. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : clip(value.asText(), 32);
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
