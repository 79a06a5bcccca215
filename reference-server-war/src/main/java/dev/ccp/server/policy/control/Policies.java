package dev.ccp.server.policy.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.server.audit.control.Actor;
import dev.ccp.server.audit.control.AuditLog;
import dev.ccp.server.identity.entity.User;
import dev.ccp.server.keys.control.KeyPurpose;
import dev.ccp.server.keys.control.KeyStore;
import dev.ccp.server.org.entity.Org;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.policy.entity.PolicyHead;
import dev.ccp.server.policy.entity.PolicyVersion;
import dev.ccp.spi.policy.PolicyClaims;
import dev.ccp.spi.policy.PolicyDocument;
import dev.ccp.spi.policy.PolicyPackCodec;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.PolicyVersionView;
import dev.ccp.spi.wire.Problem;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Publishing, promoting and serving policy packs. Versions per (org, channel) only go up: a publish
 * takes the org's row lock, so two admins publishing at once get two versions, never one twice.
 * Every version is kept; rolling back is publishing old content again, under a higher version.
 *
 * <p>A pack expires {@code ttl} after it is signed, and is signed again when it is read with less than
 * half of that left. So a client that keeps being served a copy nobody refreshes (a frozen mirror, a
 * replayed answer) sees it expire, while a client of a live server never does.
 */
public final class Policies {

    public static final int MAX_DOCUMENT_BYTES = 64 * 1024;

    private final KeyStore keys;
    private final PolicySchema schema;
    private final Duration ttl;
    private final AuditLog audit;
    private final PolicyPackCodec codec = new PolicyPackCodec();

    public Policies(KeyStore keys, PolicySchema schema, Duration ttl, AuditLog audit) {
        this.keys = keys;
        this.schema = schema;
        this.ttl = ttl;
        this.audit = audit;
    }

    /** The result of a publish: the version now current, and whether this call made it. */
    public record Published(PolicyVersion version, PolicyHead head, boolean created) {

        public PolicyVersionView view() {
            return Policies.view(version, created);
        }
    }

    public static String channel(String channel) {
        if (channel == null || !PolicyPackCodec.CHANNELS.contains(channel)) {
            throw ProblemException.notFound("no policy channel '" + abbreviate(channel) + "'; the channels are dev and prod");
        }
        return channel;
    }

    /**
     * Validates and publishes a document as the channel's next version. Publishing the document the
     * channel already serves makes no version: a retried publish is harmless.
     */
    public Published publish(EntityManager em, Org org, String userId, String channel, JsonNode document, String issuer,
            Instant now) {
        channel(channel);
        List<Problem.FieldError> errors = schema.check(document);
        if (!errors.isEmpty()) {
            String each = errors.stream().map(e -> (e.pointer().isEmpty() ? "the document" : e.pointer()) + " " + e.detail())
                    .collect(java.util.stream.Collectors.joining("; "));
            throw new ProblemException(Problem.of(400, "invalid-policy", "Invalid policy document",
                    (errors.size() == 1 ? "" : errors.size() + " errors: ") + each).withErrors(errors));
        }
        String canonical = PolicyPackCodec.canonical(document);
        if (canonical.getBytes(StandardCharsets.UTF_8).length > MAX_DOCUMENT_BYTES) {
            throw new ProblemException(413, "policy-too-large", "Policy document too large",
                    "a policy document may have at most " + MAX_DOCUMENT_BYTES + " bytes as compact JSON");
        }
        return append(em, org, userId, channel, document, canonical, null, issuer, now);
    }

    /** Makes a {@code dev} version the next {@code prod} version; its number in {@code prod} is prod's own next one. */
    public Published promote(EntityManager em, Org org, String userId, long devVersion, String issuer, Instant now) {
        PolicyVersion source = em.find(PolicyVersion.class, PolicyVersion.key(org.id(), "dev", devVersion));
        if (source == null) {
            throw ProblemException.notFound("dev has no version " + devVersion + " in " + org.slug()
                    + "; see the versions with GET /v1/admin/policies/dev");
        }
        JsonNode document = parse(source.document());
        return append(em, org, userId, "prod", document, source.document(), devVersion, issuer, now);
    }

    private Published append(EntityManager em, Org org, String userId, String channel, JsonNode document, String canonical,
            Long promotedFrom, String issuer, Instant now) {
        em.find(Org.class, org.id(), LockModeType.PESSIMISTIC_WRITE);
        PolicyHead head = em.find(PolicyHead.class, PolicyHead.key(org.id(), channel));
        String digest = sha256(canonical);
        if (head != null) {
            PolicyVersion current = em.find(PolicyVersion.class, PolicyVersion.key(org.id(), channel, head.version()));
            if (current != null && current.digest().equals(digest) && Objects.equals(current.promotedFrom(), promotedFrom)) {
                return new Published(current, head, false);
            }
        }
        long version = head == null ? 1 : head.version() + 1;
        User user = em.find(User.class, userId);
        PolicyVersion created = new PolicyVersion(org.id(), channel, version, canonical, digest,
                user == null ? userId : user.login(), now, promotedFrom);
        em.persist(created);
        boolean first = head == null;
        if (first) {
            head = new PolicyHead(org.id(), channel);
        }
        sign(head, new PolicyClaims(issuer, org.slug(), channel, version, 0, 0, document), now);
        if (first) {
            em.persist(head);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("version", version);
        details.put("digest", digest);
        if (promotedFrom != null) {
            details.put("promoted_from_dev", promotedFrom);
        }
        audit.append(em, org.id(), promotedFrom == null ? "policy.published" : "policy.promoted", Actor.user(userId),
                Map.of("channel", channel), details, now);
        return new Published(created, head, true);
    }

    /**
     * The pack a channel serves, signed again first when less than half of its lifetime is left.
     * Empty when nothing was published to the channel yet.
     */
    public Optional<PolicyHead> current(EntityManager em, String orgId, String channel, Instant now) {
        PolicyHead head = em.find(PolicyHead.class, PolicyHead.key(orgId, channel));
        if (head == null || !dueForSigning(head, now)) {
            return Optional.ofNullable(head);
        }
        em.refresh(head, LockModeType.PESSIMISTIC_WRITE);
        if (dueForSigning(head, now)) {
            // Another node may have signed it while this one waited for the lock.
            sign(head, PolicyPackCodec.unverifiedClaims(head.pack()), now);
        }
        return Optional.of(head);
    }

    public List<PolicyVersionView> history(EntityManager em, String orgId, String channel, int limit) {
        channel(channel);
        return em.createQuery("select v from PolicyVersion v where v.orgId = :org and v.channel = :channel order by v.version desc",
                        PolicyVersion.class)
                .setParameter("org", orgId)
                .setParameter("channel", channel)
                .setMaxResults(limit)
                .getResultList().stream().map(v -> view(v, null)).toList();
    }

    /** The document a channel serves now, for the checks the server makes itself (a run's steps). */
    public Optional<PolicyDocument> document(EntityManager em, String orgId, String channel) {
        PolicyHead head = em.find(PolicyHead.class, PolicyHead.key(orgId, channel(channel)));
        return head == null ? Optional.empty() : version(em, orgId, channel, head.version()).map(v -> {
            try {
                return PolicyDocument.of(Json.lenient().readTree(v.document()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("a stored policy document cannot be read", e);
            }
        });
    }

    public Optional<PolicyVersion> version(EntityManager em, String orgId, String channel, long version) {
        return Optional.ofNullable(em.find(PolicyVersion.class, PolicyVersion.key(orgId, channel(channel), version)));
    }

    private boolean dueForSigning(PolicyHead head, Instant now) {
        return Duration.between(now, head.expiresAt()).compareTo(ttl.dividedBy(2)) < 0;
    }

    private void sign(PolicyHead head, PolicyClaims claims, Instant now) {
        Instant issued = now.truncatedTo(ChronoUnit.SECONDS);
        PolicyClaims signed = claims.refreshed(issued, issued.plus(ttl));
        head.serve(signed, codec.sign(signed, keys.signer(KeyPurpose.POLICY)));
    }

    static PolicyVersionView view(PolicyVersion v, Boolean created) {
        return new PolicyVersionView(v.channel(), v.version(), v.digest(), v.publishedAt(), v.publishedBy(), v.promotedFrom(), created);
    }

    private static JsonNode parse(String canonical) {
        try {
            return Json.lenient().readTree(canonical);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a stored policy document does not parse", e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 20 ? text.substring(0, 20) + "…" : text;
    }
}
