package dev.ccp.server.slack.control;

import dev.ccp.server.platform.HmacSha256;
import dev.ccp.server.platform.Ids;
import dev.ccp.server.platform.database.UtcInstantConverter;
import dev.ccp.server.platform.http.ProblemException;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.net.URLDecoder;
import java.util.HashMap;
import java.util.Map;

/**
 * Slack's request signing, checked before anything of a request is read: {@code X-Slack-Signature}
 * is {@code v0=} and the hex HMAC-SHA256, keyed with the app's signing secret, of
 * {@code v0:TIMESTAMP:BODY} over the raw body; {@code X-Slack-Request-Timestamp} may be at most five
 * minutes off in either direction; and a signature is taken once, on whichever node sees it first
 * (its hash is kept in the database for as long as its timestamp would pass).
 */
public final class SlackRequests {

    public static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final String VERSION = "v0";

    private final HmacSha256 key;

    /** @param signingSecret the app's signing secret; null when the server has no Slack app, and takes no requests */
    public SlackRequests(String signingSecret) {
        this.key = signingSecret == null ? null : new HmacSha256(signingSecret);
    }

    public boolean configured() {
        return key != null;
    }

    /**
     * Lets a request through, or refuses it with 401 and a reason that gives nothing away; the
     * signature is remembered in the caller's transaction, so a refused request leaves nothing.
     */
    public void verify(EntityManager em, String timestamp, String signature, byte[] body, Instant now) {
        if (key == null) {
            throw refused("this server has no Slack signing secret");
        }
        if (timestamp == null || signature == null) {
            throw refused("the request is not signed: X-Slack-Request-Timestamp and X-Slack-Signature are required");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            throw refused("X-Slack-Request-Timestamp must be seconds since 1970");
        }
        if (seconds < 0 || seconds > 99_999_999_999L || Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            throw refused("the request's timestamp is more than " + TOLERANCE.toMinutes() + " minutes off the server's clock");
        }
        if (!Ids.constantTimeEquals(sign(seconds, body), signature.strip())) {
            throw refused("the request's signature does not match; check the app's signing secret");
        }
        if (!firstTime(em, "signature:" + signature.strip(), now)) {
            throw refused("this request was received before");
        }
    }

    /**
     * Whether this is the first time any node saw {@code key} (a signature, a command's trigger, a
     * button press) in the last ten minutes; the key is remembered in the caller's transaction.
     */
    public static boolean firstTime(EntityManager em, String key, Instant now) {
        String seen = Ids.hash(key);
        if (!em.createNativeQuery("select 1 from slack_replays where id = ?1").setParameter(1, seen).getResultList().isEmpty()) {
            return false;
        }
        // Two nodes taking the same request at once: one insert fails, its transaction runs again and finds the row.
        em.createNativeQuery("insert into slack_replays (id, seen_at) values (?1, ?2)")
                .setParameter(1, seen).setParameter(2, UtcInstantConverter.column(now)).executeUpdate();
        return true;
    }

    /**
     * The fields of a verified form body, as Slack sends commands and interactions; 400 for a body
     * that is not form encoding, or that names a field twice.
     */
    public static Map<String, String> form(byte[] body) {
        Map<String, String> fields = new HashMap<>();
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return fields;
        }
        for (String pair : text.split("&")) {
            int equals = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                if (fields.put(name, value) != null) {
                    throw ProblemException.badRequest("the form names " + (name.length() > 40 ? name.substring(0, 40) + "…" : name)
                            + " twice; Slack sends each field once");
                }
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("the body is not form encoding (application/x-www-form-urlencoded)");
            }
        }
        return fields;
    }

    /** Forgets the signatures whose timestamps would be refused anyway; answers how many. */
    public static int prune(EntityManager em, Instant now) {
        return em.createNativeQuery("delete from slack_replays where seen_at < ?1")
                .setParameter(1, UtcInstantConverter.column(now.minus(TOLERANCE.multipliedBy(2)))).executeUpdate();
    }

    /** The signature Slack sends for this body at this time: {@code v0=} and hex. */
    public String sign(long seconds, byte[] body) {
        return VERSION + "=" + key.hex((VERSION + ":" + seconds + ":").getBytes(StandardCharsets.US_ASCII), body);
    }

    private static ProblemException refused(String detail) {
        return ProblemException.unauthorized(detail);
    }
}
