package dev.ccp.server.slack.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.Ids;
import dev.ccp.server.platform.database.Tx;
import dev.ccp.server.platform.database.UtcInstantConverter;
import dev.ccp.server.runs.control.Runs;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.RunView;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Keeps each run's Slack message current, and delivers answers queued for response URLs. All of it
 * lives in the database, so any node does the work and a restart loses nothing: a node takes a
 * message's lease with one conditional update, calls Slack outside any transaction, and records what
 * Slack said. A message is updated at most once per coalescing interval, never before a
 * {@code Retry-After} Slack asked for has passed, and it stops once it shows the run's end.
 *
 * <p>Where the bot may not post in the channel (a private channel it was not invited to), the
 * message goes through the command's response URL instead, which Slack lets an app use
 * {@value #RESPONSE_USES} times within 30 minutes: the last use is kept for the run's end.
 */
public final class SlackMessages {

    static final int RESPONSE_USES = 5;
    public static final Duration RESPONSE_LIFETIME = Duration.ofMinutes(30);
    static final Duration LEASE = Duration.ofSeconds(30);
    static final int MAX_FAILURES = 8;
    static final int BATCH = 20;
    /** Slack's answers that mean the bot cannot post in the channel, so the response URL is tried. */
    private static final Set<String> CANNOT_POST = Set.of("not_in_channel", "channel_not_found", "is_archived", "restricted_action",
            "team_access_not_granted", "ekm_access_denied");
    /** Slack's answers to chat.update that mean the message is gone or can no longer be edited. */
    private static final Set<String> CANNOT_UPDATE = Set.of("message_not_found", "cant_update_message", "edit_window_closed",
            "channel_not_found", "not_in_channel", "is_archived");
    private static final Logger LOG = Logger.getLogger(SlackMessages.class.getName());

    private final SlackApi api;
    private final SlackTeams teams;
    private final Runs runs;
    private final Duration coalesce;

    public SlackMessages(SlackApi api, SlackTeams teams, Runs runs, Duration coalesce) {
        this.api = api;
        this.teams = teams;
        this.runs = runs;
        this.coalesce = coalesce;
    }

    /** Starts showing a run in a channel; the message is posted by the next round of {@link #work}. */
    public void show(EntityManager em, String runId, String teamId, String channelId, String responseUrl, String runUrl, Instant now) {
        em.createNativeQuery("insert into slack_messages (run_id, team_id, channel_id, run_url, response_url, response_uses,"
                        + " response_until, shown_seq, due_at, failures, closed) values (?1, ?2, ?3, ?4, ?5, 0, ?6, -1, ?7, 0, ?8)")
                .setParameter(1, runId).setParameter(2, teamId).setParameter(3, channelId).setParameter(4, runUrl)
                .setParameter(5, api.respondsTo(responseUrl) ? responseUrl : null)
                .setParameter(6, UtcInstantConverter.column(now.plus(RESPONSE_LIFETIME))).setParameter(7, UtcInstantConverter.column(now))
                .setParameter(8, false).executeUpdate();
    }

    /** Queues an answer for a response URL, sent after the request that gave it was acknowledged. */
    public void reply(EntityManager em, String responseUrl, ObjectNode body, Instant now) {
        if (!api.respondsTo(responseUrl)) {
            return;
        }
        em.createNativeQuery("insert into slack_outbox (id, url, body, due_at, attempts) values (?1, ?2, ?3, ?4, 0)")
                .setParameter(1, Ids.id("sko")).setParameter(2, responseUrl).setParameter(3, clip(body.toString(), 16000))
                .setParameter(4, UtcInstantConverter.column(now)).executeUpdate();
    }

    /**
     * One round: the queued answers, then the messages that are due. Each is taken at the time it
     * is taken, so that a slow call to Slack does not leave the next lease already run out. Answers
     * how many calls to Slack it made.
     */
    public int work(Tx tx, Clock clock) {
        int calls = 0;
        for (Object id : tx.call(em -> due(em, "select id from slack_outbox where due_at <= ?1"
                + " and (lease_until is null or lease_until < ?1) order by due_at", clock.instant()))) {
            calls += deliver(tx, (String) id, clock.instant());
        }
        for (Object id : tx.call(em -> due(em, "select m.run_id from slack_messages m join runs r on r.id = m.run_id"
                + " where m.closed = false and m.due_at <= ?1 and (m.lease_until is null or m.lease_until < ?1)"
                + " and r.seq > m.shown_seq order by m.due_at", clock.instant()))) {
            calls += update(tx, (String) id, clock.instant());
        }
        return calls;
    }

    private static List<?> due(EntityManager em, String sql, Instant now) {
        return em.createNativeQuery(sql).setParameter(1, UtcInstantConverter.column(now)).setMaxResults(BATCH).getResultList();
    }

    /** What one node took: the message's row, its team's token, and the run as it is now. */
    private record Taken(String runId, String channel, String ts, String responseUrl, int uses, Instant responseUntil, int failures,
            String botToken, RunView run, String runUrl) {
        boolean ended() {
            return Set.of("succeeded", "failed", "cancelled").contains(run.state());
        }

        @Override
        public String toString() {
            return "Taken[run " + runId + " in " + channel + "]"; // never the bot token
        }
    }

    private int update(Tx tx, String runId, Instant now) {
        Optional<Taken> taken = tx.call(em -> take(em, runId, now));
        if (taken.isEmpty()) {
            return 0;
        }
        Taken t = taken.get();
        ObjectNode message = RunMessage.of(t.run(), t.runUrl());
        if (t.ts() != null) {
            SlackApi.Answer answer = api.call(t.botToken(), "chat.update", message.deepCopy().put("channel", t.channel()).put("ts", t.ts()));
            tx.run(em -> {
                if (!answer.ok() && CANNOT_UPDATE.contains(answer.error())) {
                    close(em, t.runId()); // deleted in Slack, or too old to edit
                } else {
                    settle(em, t, answer, null, false, now);
                }
            });
            return 1;
        }
        if (t.uses() > 0) {
            return respond(tx, t, message, now); // the bot found before that it cannot post here
        }
        SlackApi.Answer answer = api.call(t.botToken(), "chat.postMessage",
                message.deepCopy().put("channel", t.channel()).put("unfurl_links", false).put("unfurl_media", false));
        if (!answer.ok() && CANNOT_POST.contains(answer.error())) {
            if (t.responseUrl() != null) {
                return 1 + respond(tx, t, message, now);
            }
            LOG.info("the Slack bot cannot post the message of run " + t.runId() + " (" + answer.error() + ") and has no response URL for it");
            tx.run(em -> close(em, t.runId()));
            return 1;
        }
        tx.run(em -> settle(em, t, answer, answer.ok() ? answer.text("ts") : null, false, now));
        return 1;
    }

    /** Shows the run through the response URL, keeping the last use for its end. */
    private int respond(Tx tx, Taken t, ObjectNode message, Instant now) {
        if (t.responseUrl() == null || !now.isBefore(t.responseUntil()) || t.uses() >= RESPONSE_USES) {
            tx.run(em -> close(em, t.runId()));
            return 0;
        }
        if (t.uses() == RESPONSE_USES - 1 && !t.ended()) {
            tx.run(em -> shown(em, t, null, 0, now)); // wait for the end, which bumps the run's events again
            return 0;
        }
        ObjectNode body = message.deepCopy().put("response_type", "in_channel").put("replace_original", t.uses() > 0);
        SlackApi.Answer answer = api.respond(t.responseUrl(), body.toString());
        tx.run(em -> settle(em, t, answer, null, true, now));
        return 1;
    }

    private Optional<Taken> take(EntityManager em, String runId, Instant now) {
        int leased = em.createNativeQuery("update slack_messages set lease_until = ?2 where run_id = ?1 and closed = false"
                        + " and (lease_until is null or lease_until < ?3)")
                .setParameter(1, runId).setParameter(2, UtcInstantConverter.column(now.plus(LEASE)))
                .setParameter(3, UtcInstantConverter.column(now)).executeUpdate();
        if (leased == 0) {
            return Optional.empty();
        }
        Object[] row = (Object[]) em.createNativeQuery("select team_id, channel_id, ts, response_url, response_uses, response_until,"
                + " failures, run_url from slack_messages where run_id = ?1").setParameter(1, runId).getSingleResult();
        Optional<SlackTeams.Team> team = teams.team(em, (String) row[0]);
        if (team.isEmpty()) {
            close(em, runId); // the team was disconnected
            return Optional.empty();
        }
        Org org = em.find(Org.class, team.get().orgId());
        RunView run;
        try {
            run = runs.read(em, org, runId);
        } catch (dev.ccp.server.platform.http.ProblemException e) {
            if (e.problem().status() != 404) {
                throw e;
            }
            close(em, runId); // the run is not the team's org's any more
            return Optional.empty();
        }
        return Optional.of(new Taken(runId, (String) row[1], (String) row[2], (String) row[3], ((Number) row[4]).intValue(),
                UtcInstantConverter.instant(row[5]), ((Number) row[6]).intValue(), team.get().botToken(), run, (String) row[7]));
    }

    /** Records what Slack said about the message: shown, asked to wait, or failed. */
    private void settle(EntityManager em, Taken t, SlackApi.Answer answer, String postedTs, boolean usedResponse, Instant now) {
        if (answer.ok()) {
            shown(em, t, postedTs, usedResponse ? 1 : 0, now);
            return;
        }
        if (answer.rateLimited()) {
            Duration wait = answer.retryAfter().isZero() ? coalesce : answer.retryAfter();
            em.createNativeQuery("update slack_messages set due_at = ?2, lease_until = null, response_uses = response_uses + ?3"
                            + " where run_id = ?1")
                    .setParameter(1, t.runId()).setParameter(2, UtcInstantConverter.column(now.plus(wait)))
                    .setParameter(3, usedResponse ? 1 : 0).executeUpdate();
            return;
        }
        int failures = t.failures() + 1;
        LOG.warning("Slack refused the message of run " + t.runId() + ": " + answer.error()
                + (failures >= MAX_FAILURES ? "; giving up on it" : "; trying again later"));
        em.createNativeQuery("update slack_messages set due_at = ?2, lease_until = null, failures = ?3, closed = ?4,"
                        + " response_uses = response_uses + ?5 where run_id = ?1")
                .setParameter(1, t.runId()).setParameter(2, UtcInstantConverter.column(now.plus(backoff(failures))))
                .setParameter(3, failures).setParameter(4, failures >= MAX_FAILURES || "invalid_auth".equals(answer.error())
                        || "account_inactive".equals(answer.error()) || "token_revoked".equals(answer.error()))
                .setParameter(5, usedResponse ? 1 : 0).executeUpdate();
    }

    private void shown(EntityManager em, Taken t, String postedTs, int uses, Instant now) {
        em.createNativeQuery("update slack_messages set shown_seq = ?2, ts = coalesce(?3, ts), due_at = ?4, lease_until = null,"
                        + " failures = 0, response_uses = response_uses + ?5, closed = ?6 where run_id = ?1")
                .setParameter(1, t.runId()).setParameter(2, t.run().seq()).setParameter(3, postedTs)
                .setParameter(4, UtcInstantConverter.column(now.plus(coalesce))).setParameter(5, uses)
                .setParameter(6, t.ended()).executeUpdate();
    }

    private static void close(EntityManager em, String runId) {
        em.createNativeQuery("update slack_messages set closed = ?2, lease_until = null where run_id = ?1")
                .setParameter(1, runId).setParameter(2, true).executeUpdate();
    }

    private int deliver(Tx tx, String id, Instant now) {
        Optional<Object[]> taken = tx.call(em -> {
            int leased = em.createNativeQuery("update slack_outbox set lease_until = ?2 where id = ?1 and (lease_until is null or lease_until < ?3)")
                    .setParameter(1, id).setParameter(2, UtcInstantConverter.column(now.plus(LEASE)))
                    .setParameter(3, UtcInstantConverter.column(now)).executeUpdate();
            return leased == 0 ? Optional.empty() : Optional.of((Object[]) em.createNativeQuery(
                    "select url, body, attempts from slack_outbox where id = ?1").setParameter(1, id).getSingleResult());
        });
        if (taken.isEmpty()) {
            return 0;
        }
        SlackApi.Answer answer = api.respond((String) taken.get()[0], (String) taken.get()[1]);
        int attempts = ((Number) taken.get()[2]).intValue() + 1;
        boolean again = !answer.ok() && (answer.rateLimited() || answer.status() == 0 || answer.status() >= 500) && attempts < MAX_FAILURES;
        tx.run(em -> {
            if (again) {
                Duration wait = answer.rateLimited() && !answer.retryAfter().isZero() ? answer.retryAfter() : backoff(attempts);
                em.createNativeQuery("update slack_outbox set attempts = ?2, due_at = ?3, lease_until = null where id = ?1")
                        .setParameter(1, id).setParameter(2, attempts).setParameter(3, UtcInstantConverter.column(now.plus(wait)))
                        .executeUpdate();
            } else {
                em.createNativeQuery("delete from slack_outbox where id = ?1").setParameter(1, id).executeUpdate();
            }
        });
        return 1;
    }

    private static Duration backoff(int failures) {
        return Duration.ofSeconds(Math.min(300, 5L << Math.min(failures - 1, 6)));
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    /** A refusal of the control layer as a sentence for the person in Slack. */
    static String sentence(dev.ccp.server.platform.http.ProblemException e) {
        String detail = e.problem().detail();
        return detail.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + detail.substring(1) + (detail.endsWith(".") ? "" : ".");
    }

    /** An answer only the person who typed the command or pressed the button sees. */
    static ObjectNode ephemeral(String text) {
        return Json.lenient().createObjectNode().put("response_type", "ephemeral").put("replace_original", false).put("text", text);
    }
}
