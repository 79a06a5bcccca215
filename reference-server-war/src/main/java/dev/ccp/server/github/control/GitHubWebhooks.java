package dev.ccp.server.github.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccp.server.audit.control.Actor;
import dev.ccp.server.audit.control.AuditLog;
import dev.ccp.server.platform.HmacSha256;
import dev.ccp.server.platform.Ids;
import dev.ccp.server.platform.database.UtcInstantConverter;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.spi.wire.Json;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GitHub's webhook deliveries to the app. A delivery is verified ({@code X-Hub-Signature-256}, the
 * HMAC-SHA256 of the raw body with the webhook secret, compared in constant time) before a byte of
 * it is read, taken once per {@code X-GitHub-Delivery} on any node, and turned into a queued job;
 * the review itself happens after the answer.
 */
public final class GitHubWebhooks {

    static final Set<String> REVIEWED = Set.of("opened", "synchronize", "reopened", "ready_for_review");

    private final HmacSha256 key;
    private final GitHubJobs jobs;
    private final AuditLog audit;

    /** @param secret the app's webhook secret; null when the app is not configured, and no delivery is taken */
    public GitHubWebhooks(String secret, GitHubJobs jobs, AuditLog audit) {
        this.key = secret == null ? null : new HmacSha256(secret);
        this.jobs = jobs;
        this.audit = audit;
    }

    public boolean configured() {
        return key != null;
    }

    /** Refuses, with 401, a delivery whose signature is missing or does not match. */
    public void verify(String signature, byte[] body) {
        if (key == null) {
            throw ProblemException.unauthorized("this server has no GitHub webhook secret");
        }
        if (signature == null || !signature.strip().startsWith("sha256=")) {
            throw ProblemException.unauthorized("the delivery is not signed: X-Hub-Signature-256 is required");
        }
        if (!Ids.constantTimeEquals(sign(body), signature.strip())) {
            throw ProblemException.unauthorized("the delivery's X-Hub-Signature-256 does not match; check the app's webhook secret");
        }
    }

    /** The signature GitHub sends for this body. */
    public String sign(byte[] body) {
        return "sha256=" + key.hex(body);
    }

    /**
     * Takes a verified delivery once: what it led to ({@code queued}, {@code duplicate},
     * {@code ignored: …}, {@code installed}, {@code uninstalled}).
     */
    public String receive(EntityManager em, String event, String delivery, byte[] raw, Instant now) {
        if (delivery == null || !delivery.matches("[A-Za-z0-9-]{1,64}")) {
            throw ProblemException.badRequest("X-GitHub-Delivery must be the delivery's id");
        }
        if (event == null || !event.matches("[a-z_]{1,64}")) {
            throw ProblemException.badRequest("X-GitHub-Event must name the event");
        }
        JsonNode payload;
        try {
            payload = Json.strict().readTree(raw);
        } catch (IOException e) {
            throw ProblemException.badRequest("the delivery's body is not JSON");
        }
        if (payload == null || !payload.isObject()) {
            throw ProblemException.badRequest("the delivery's body is not a JSON object");
        }
        // Taken once by its id and once by its body: the id is not signed, so a captured delivery sent
        // again under a new id is still the same delivery.
        String body = Ids.hash(new String(raw, StandardCharsets.UTF_8));
        if (!em.createNativeQuery("select 1 from github_deliveries where id = ?1 or id = ?2").setParameter(1, delivery).setParameter(2, body)
                .getResultList().isEmpty()) {
            return "duplicate";
        }
        // Two nodes taking one delivery at once: one insert fails, its transaction runs again and finds the row.
        for (String id : List.of(delivery, body)) {
            em.createNativeQuery("insert into github_deliveries (id, received_at) values (?1, ?2)")
                    .setParameter(1, id).setParameter(2, UtcInstantConverter.column(now)).executeUpdate();
        }
        String action = payload.path("action").asText("");
        long installation = payload.path("installation").path("id").asLong(0);
        switch (event) {
            case "pull_request" -> {
                JsonNode pull = payload.path("pull_request");
                if (!REVIEWED.contains(action)) {
                    return "ignored: pull_request." + action;
                }
                if (pull.path("draft").asBoolean(false)) {
                    return "ignored: a draft is reviewed once it is ready for review";
                }
                return queue(em, installation, payload.path("repository").path("full_name").asText(""), pull.path("number").asInt(0),
                        pull.path("head").path("sha").asText(""), now);
            }
            case "check_run" -> {
                if (!"rerequested".equals(action)) {
                    return "ignored: check_run." + action;
                }
                JsonNode run = payload.path("check_run");
                JsonNode pulls = run.path("pull_requests");
                if (!pulls.isArray() || pulls.isEmpty()) {
                    return "ignored: the check run is not on a pull request";
                }
                String repo = payload.path("repository").path("full_name").asText("");
                String sha = run.path("head_sha").asText("");
                // A check asked again gets a new check run; the push's review stays the one it had.
                em.createNativeQuery("update github_reviews set check_run_id = null, annotations_sent = 0, completed = ?4"
                                + " where repo = ?1 and pull_number = ?2 and head_sha = ?3")
                        .setParameter(1, repo).setParameter(2, pulls.get(0).path("number").asInt(0)).setParameter(3, sha)
                        .setParameter(4, false).executeUpdate();
                return queue(em, installation, repo, pulls.get(0).path("number").asInt(0), sha, now);
            }
            case "installation" -> {
                return installation(em, action, installation, payload, now);
            }
            default -> {
                return "ignored: " + event;
            }
        }
    }

    private String queue(EntityManager em, long installation, String repo, int number, String sha, Instant now) {
        if (installation <= 0 || !repo.matches("[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}") || number <= 0 || !sha.matches("[0-9a-f]{7,64}")) {
            throw ProblemException.badRequest("the delivery lacks its installation, repository, pull request number or head sha");
        }
        List<?> org = em.createNativeQuery("select org_id from github_installations where id = ?1 and deleted_at is null")
                .setParameter(1, installation).getResultList();
        if (org.isEmpty() || org.get(0) == null) {
            return "ignored: installation " + installation + " is not connected to a CCP org";
        }
        return jobs.enqueue(em, installation, repo, number, sha, now) ? "queued" : "duplicate";
    }

    private String installation(EntityManager em, String action, long id, JsonNode payload, Instant now) {
        if (id <= 0) {
            throw ProblemException.badRequest("the delivery lacks installation.id");
        }
        String account = payload.path("installation").path("account").path("login").asText("");
        List<?> known = em.createNativeQuery("select org_id from github_installations where id = ?1").setParameter(1, id).getResultList();
        if ("created".equals(action)) {
            if (known.isEmpty()) {
                em.createNativeQuery("insert into github_installations (id, account, created_at) values (?1, ?2, ?3)")
                        .setParameter(1, id).setParameter(2, account.isEmpty() ? "unknown" : clip(account)).setParameter(3, UtcInstantConverter.column(now))
                        .executeUpdate();
            } else {
                em.createNativeQuery("update github_installations set deleted_at = null, account = ?2 where id = ?1")
                        .setParameter(1, id).setParameter(2, clip(account)).executeUpdate();
            }
            return "installed";
        }
        if ("deleted".equals(action) && !known.isEmpty()) {
            em.createNativeQuery("update github_installations set deleted_at = ?2, org_id = null where id = ?1")
                    .setParameter(1, id).setParameter(2, UtcInstantConverter.column(now)).executeUpdate();
            if (known.get(0) != null) {
                audit.append(em, (String) known.get(0), "github.uninstalled", new Actor("system", null),
                        Map.of("github_installation", id), Map.of("account", account), now);
            }
            return "uninstalled";
        }
        return "ignored: installation." + action;
    }

    private static String clip(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100);
    }
}
