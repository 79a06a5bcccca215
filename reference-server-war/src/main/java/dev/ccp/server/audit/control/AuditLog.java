package dev.ccp.server.audit.control;

import dev.ccp.spi.audit.AuditChain;
import dev.ccp.spi.audit.AuditCheckpoint;
import dev.ccp.spi.audit.AuditExport;
import dev.ccp.spi.audit.AuditHead;
import dev.ccp.spi.license.Ed25519Key;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.audit.AuditEntry;
import dev.ccp.spi.wire.JsonValues;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import dev.ccp.server.platform.database.UtcInstantConverter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Appends to an org's audit log in the caller's transaction, so that a change and its entry commit
 * or roll back together: a failed change writes nothing. The org's head row is locked while an entry
 * is added, so concurrent changes get consecutive numbers, each hashed over the one before.
 */
public final class AuditLog {

    private final Supplier<Ed25519Key> signer;
    private final Supplier<KeyRing> verifiers;

    /**
     * @param signer the key of the {@code audit} ring that signs checkpoints now
     * @param verifiers the keys of the {@code audit} ring still trusted; a checkpoint signed by a
     *     retired key is left out of exports, where it would vouch for nothing
     */
    public AuditLog(Supplier<Ed25519Key> signer, Supplier<KeyRing> verifiers) {
        this.signer = signer;
        this.verifiers = verifiers;
    }

    /**
     * Records a change.
     *
     * @param targets what was changed (ids, logins); never a secret
     * @param details what changed and why; never a secret. The request's client address and user
     *     agent are added as {@code context} ({@link AuditContext})
     * @return the entry as written
     */
    public AuditEntry append(EntityManager em, String orgId, String action, Actor actor, Map<String, Object> targets,
            Map<String, Object> details, Instant now) {
        Map<String, Object> context = AuditContext.current();
        if (!context.isEmpty() && !details.containsKey("context")) {
            Map<String, Object> withContext = new java.util.LinkedHashMap<>(details);
            withContext.put("context", context);
            details = withContext;
        }
        Object[] head = head(em, orgId);
        AuditEntry entry = AuditChain.append(head == null ? 0 : ((Number) head[0]).longValue(),
                head == null ? AuditChain.GENESIS : (String) head[1],
                new AuditEntry(orgId, 0, now, action, actor.type(), actor.id(), targets, details, null, null));
        em.createNativeQuery("insert into audit_entries (org_id, seq, at, action, actor_type, actor_id, targets, details, prev_hash, hash)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
                .setParameter(1, orgId).setParameter(2, entry.seq()).setParameter(3, timestamp(entry.at()))
                .setParameter(4, entry.action()).setParameter(5, entry.actorType()).setParameter(6, entry.actorId())
                .setParameter(7, json(entry.targets())).setParameter(8, json(entry.details()))
                .setParameter(9, entry.prevHash()).setParameter(10, entry.hash())
                .executeUpdate();
        int moved = em.createNativeQuery("update audit_heads set seq = ?2, hash = ?3 where org_id = ?1")
                .setParameter(1, orgId).setParameter(2, entry.seq()).setParameter(3, entry.hash()).executeUpdate();
        if (moved == 0) {
            // The org's first entry; a concurrent first one makes this insert fail and the transaction run again.
            em.createNativeQuery("insert into audit_heads (org_id, seq, hash) values (?1, ?2, ?3)")
                    .setParameter(1, orgId).setParameter(2, entry.seq()).setParameter(3, entry.hash()).executeUpdate();
        }
        return entry;
    }

    /** Records a change that concerns every org, such as a new signing key, in each org's log. */
    public void appendToEveryOrg(EntityManager em, String action, Actor actor, Map<String, Object> targets, Map<String, Object> details,
            Instant now) {
        @SuppressWarnings("unchecked")
        List<String> orgs = em.createNativeQuery("select id from orgs order by id").getResultList();
        for (String org : orgs) {
            append(em, org, action, actor, targets, details, now);
        }
    }

    /**
     * What to look for in a log: entries after {@code afterSeq}, by an actor (type or id), of an
     * action, in a time range; null leaves a condition out.
     */
    public record Filter(long afterSeq, String actor, String action, Instant from, Instant to) {

        /** What the filter leaves out, as an export's signed head names it; empty when it takes the whole log. */
        Map<String, String> leftOut() {
            Map<String, String> out = new TreeMap<>();
            if (afterSeq > 0) {
                out.put("after", Long.toString(afterSeq));
            }
            if (actor != null) {
                out.put("actor", actor);
            }
            if (action != null) {
                out.put("action", action);
            }
            if (from != null) {
                out.put("from", from.toString());
            }
            if (to != null) {
                out.put("to", to.toString());
            }
            return out;
        }
    }

    /** The org's entries that pass the filter, in order, at most {@code limit}. */
    public List<AuditEntry> search(EntityManager em, String orgId, Filter filter, int limit) {
        StringBuilder sql = new StringBuilder("select org_id, seq, at, action, actor_type, actor_id, targets, details, prev_hash, hash"
                + " from audit_entries where org_id = ?1 and seq > ?2");
        List<Object> params = new java.util.ArrayList<>(List.of(orgId, filter.afterSeq()));
        if (filter.actor() != null) {
            params.add(filter.actor());
            sql.append(" and (actor_type = ?").append(params.size()).append(" or actor_id = ?").append(params.size()).append(')');
        }
        if (filter.action() != null) {
            params.add(filter.action());
            sql.append(" and action = ?").append(params.size());
        }
        if (filter.from() != null) {
            params.add(timestamp(filter.from()));
            sql.append(" and at >= ?").append(params.size());
        }
        if (filter.to() != null) {
            params.add(timestamp(filter.to()));
            sql.append(" and at < ?").append(params.size());
        }
        jakarta.persistence.Query query = em.createNativeQuery(sql.append(" order by seq").toString()).setMaxResults(limit);
        for (int i = 0; i < params.size(); i++) {
            query.setParameter(i + 1, params.get(i));
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows.stream().map(AuditLog::entry).toList();
    }

    /**
     * Signs the org's last entry, unless a checkpoint already names it. The head row is locked, as
     * by an append, so the checkpoint names an entry that is there and two nodes do not sign twice.
     *
     * @return the number of the entry the org's newest checkpoint names; 0 when the log is empty
     */
    public long checkpoint(EntityManager em, String orgId, Instant now) {
        Object[] head = head(em, orgId);
        if (head == null) {
            return 0;
        }
        long seq = ((Number) head[0]).longValue();
        List<?> signed = em.createNativeQuery("select seq from audit_checkpoints where org_id = ?1 and seq = ?2")
                .setParameter(1, orgId).setParameter(2, seq).getResultList();
        if (signed.isEmpty()) {
            Instant at = now.truncatedTo(ChronoUnit.MILLIS);
            String jws = new AuditCheckpoint(orgId, seq, (String) head[1], at).sign(signer.get());
            em.createNativeQuery("insert into audit_checkpoints (org_id, seq, hash, at, jws) values (?1, ?2, ?3, ?4, ?5)")
                    .setParameter(1, orgId).setParameter(2, seq).setParameter(3, head[1]).setParameter(4, timestamp(at))
                    .setParameter(5, jws).executeUpdate();
        }
        return seq;
    }

    /** The orgs whose last entry no checkpoint names yet, for the job that signs them. */
    public List<String> unsigned(EntityManager em) {
        @SuppressWarnings("unchecked")
        List<String> orgs = em.createNativeQuery("select h.org_id from audit_heads h where h.seq >"
                + " coalesce((select max(c.seq) from audit_checkpoints c where c.org_id = h.org_id), 0)").getResultList();
        return orgs;
    }

    /**
     * The org's log as JSON Lines with its checkpoints, after signing its last entry, so that
     * {@code ccp audit verify} can vouch for every entry of it; and last, a head signed now that
     * names where the log starts and ends. Both ends come from the head row, locked while the
     * export is read, not from the entries found: a row deleted from the database then shows as
     * a missing entry. An export that leaves entries out (a filter, or {@code limit}) says so in
     * its head, and is a report that cannot be verified.
     */
    public String export(EntityManager em, String orgId, Filter filter, int limit, Instant now) {
        checkpoint(em, orgId, now);
        Object[] head = head(em, orgId);
        long first = head == null ? 1 : ((Number) head[2]).longValue();
        long last = head == null ? 0 : ((Number) head[0]).longValue();
        List<AuditEntry> entries = search(em, orgId, filter, limit);
        Map<Long, String> checkpoints = new TreeMap<>();
        if (!entries.isEmpty()) {
            // Every checkpoint from the one before the first entry on: one after the head shows that the log was cut back.
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("select seq, jws from audit_checkpoints where org_id = ?1 and seq >= ?2")
                    .setParameter(1, orgId).setParameter(2, entries.get(0).seq() - 1).getResultList();
            KeyRing trusted = verifiers.get();
            rows.stream().filter(r -> AuditCheckpoint.verify((String) r[1], trusted).valid())
                    .forEach(r -> checkpoints.put(((Number) r[0]).longValue(), (String) r[1]));
        }
        Map<String, String> leftOut = filter.leftOut();
        if (entries.size() >= limit && entries.get(entries.size() - 1).seq() < last) {
            leftOut.put("limit", Integer.toString(limit));
        }
        AuditHead signed = new AuditHead(orgId, first, last, head == null ? AuditChain.GENESIS : (String) head[1], leftOut,
                now.truncatedTo(ChronoUnit.MILLIS));
        return AuditExport.write(entries, checkpoints, signed.sign(signer.get()));
    }

    /**
     * Drops entries older than {@code keep}, but only up to the newest checkpoint made before the
     * cut, which is kept: the log stays verifiable from that checkpoint on. Entries no checkpoint
     * covers yet are kept, however old. Every entry up to that checkpoint goes, whatever its own
     * time says (each was written before the checkpoint was signed), so the log kept has no gap; and
     * where it now starts is recorded on the head row first, locked as by an append, so that the
     * server knows it apart from the rows that remain.
     *
     * @return how many entries were dropped
     */
    public int prune(EntityManager em, Duration keep, Instant now) {
        LocalDateTime cut = timestamp(now.minus(keep));
        @SuppressWarnings("unchecked")
        List<Object[]> anchors = em.createNativeQuery("select org_id, max(seq) from audit_checkpoints where at < ?1 group by org_id")
                .setParameter(1, cut).getResultList();
        int dropped = 0;
        for (Object[] anchor : anchors) {
            long seq = ((Number) anchor[1]).longValue();
            em.createNativeQuery("update audit_heads set first_seq = ?2 where org_id = ?1 and first_seq < ?2")
                    .setParameter(1, anchor[0]).setParameter(2, seq + 1).executeUpdate();
            dropped += em.createNativeQuery("delete from audit_entries where org_id = ?1 and seq <= ?2")
                    .setParameter(1, anchor[0]).setParameter(2, seq).executeUpdate();
            em.createNativeQuery("delete from audit_checkpoints where org_id = ?1 and seq < ?2")
                    .setParameter(1, anchor[0]).setParameter(2, seq).executeUpdate();
        }
        return dropped;
    }

    /**
     * The number and hash of the org's last entry and the number of its first kept, its head row
     * locked until the transaction ends; null before the first.
     */
    private static Object[] head(EntityManager em, String orgId) {
        @SuppressWarnings("unchecked")
        List<Object[]> heads = em.createNativeQuery("select seq, hash, first_seq from audit_heads where org_id = ?1 for update")
                .setParameter(1, orgId).getResultList();
        return heads.isEmpty() ? null : heads.get(0);
    }

    private static AuditEntry entry(Object[] row) {
        return new AuditEntry((String) row[0], ((Number) row[1]).longValue(), instant(row[2]), (String) row[3], (String) row[4],
                (String) row[5], map((String) row[6]), map((String) row[7]), (String) row[8], (String) row[9]);
    }

    private static LocalDateTime timestamp(Instant at) {
        return UtcInstantConverter.column(at);
    }

    private static Instant instant(Object value) {
        return UtcInstantConverter.instant(value);
    }

    private static String json(Map<String, Object> value) {
        return new String(JsonValues.write(value, false), StandardCharsets.UTF_8);
    }

    private static Map<String, Object> map(String json) {
        try {
            return JsonValues.readObject(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("an audit entry's JSON does not parse", e);
        }
    }
}
