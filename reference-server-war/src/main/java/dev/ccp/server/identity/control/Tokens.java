package dev.ccp.server.identity.control;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ccp.server.identity.entity.DeviceGrant;
import dev.ccp.server.identity.entity.RefreshToken;
import dev.ccp.server.identity.entity.TokenFamily;
import dev.ccp.server.keys.control.KeyPurpose;
import dev.ccp.server.keys.control.KeyStore;
import dev.ccp.server.platform.Ids;
import dev.ccp.server.platform.ServerConfig;
import dev.ccp.server.platform.database.ReadCache;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.spi.license.SignedJson;
import dev.ccp.spi.wire.Json;
import dev.ccp.spi.wire.OAuthError;
import dev.ccp.spi.wire.TokenResponse;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access and refresh tokens. Access tokens are short-lived JWTs ({@code typ: at+jwt}, RFC 9068)
 * signed with the access key; refresh tokens are opaque, stored hashed, and single use: each use
 * rotates it, and presenting one that was already rotated revokes the whole family (RFC 9700 §4.14),
 * except right after a rotation whose answer the client lost: then it gets that answer again (see
 * {@link #REUSE_GRACE}).
 */
public final class Tokens {

    public static final String ACCESS_TYPE = "at+jwt";
    /** Why the sessions of someone taken out of an org ended. */
    public static final String REMOVED_FROM_ORG = "removed from org";

    /**
     * How long after a rotation the previous refresh token may be presented again, while its
     * successor is still unused, and get the same answer rather than be taken for a stolen token:
     * long enough for a client to retry a refresh whose answer it lost, short enough to leave a thief
     * little room (and a thief in that window gets only what the client also holds).
     */
    static final Duration REUSE_GRACE = Duration.ofSeconds(60);

    /** The claims of an access token. {@code sid} is the token family. */
    public record AccessClaims(String iss, String sub, String org, String sid,
            @JsonProperty("client_id") String clientId, long iat, long exp, String jti) {
    }

    /** The answer to a refresh: new tokens, or the RFC 6749 error to send. */
    public record Refresh(TokenResponse tokens, OAuthError error) {
    }

    private final KeyStore keys;
    private final ServerConfig config;
    private final Memberships memberships;
    private final PageSessions pages;
    /**
     * Access tokens whose signature was already checked, so a client's repeated calls do not pay for
     * an Ed25519 verification each time (the largest cost of a small request). Expiry and revocation
     * are still checked on every request. Bounded: cleared when full.
     */
    private final Map<String, AccessClaims> verified = new ConcurrentHashMap<>();
    private static final int VERIFIED_MAX = 10_000;

    /**
     * @param pages the pages' sessions, ended with a person's tokens by {@link #revokeSessions}
     */
    public Tokens(KeyStore keys, ServerConfig config, Memberships memberships, PageSessions pages) {
        this.keys = keys;
        this.config = config;
        this.memberships = memberships;
        this.pages = pages;
    }

    /** Starts a token family for a login that was just approved. */
    public TokenResponse issue(EntityManager em, String userId, String orgId, String clientId, String issuer, Instant now) {
        TokenFamily family = new TokenFamily(Ids.id("fam"), userId, orgId, clientId, now);
        em.persist(family);
        em.flush();
        return mint(em, family, null, issuer, now);
    }

    public Refresh refresh(EntityManager em, String presented, String clientId, String issuer, Instant now) {
        RefreshToken token = presented == null ? null : em.find(RefreshToken.class, Ids.hash(presented));
        if (token == null) {
            return refused("refresh token is not known; log in again");
        }
        // Locking the family serialises concurrent refreshes: the first rotates, the others see it used.
        TokenFamily family = em.find(TokenFamily.class, token.familyId(), LockModeType.PESSIMISTIC_WRITE);
        em.refresh(token);
        if (family.revoked()) {
            return refused("this login was revoked (" + family.revokeReason() + "); log in again");
        }
        if (!family.clientId().equals(clientId)) {
            return refused("refresh token was issued to another client");
        }
        if (token.usedAt() != null) {
            return retried(em, family, token, presented, now);
        }
        if (!now.isBefore(token.expiresAt())) {
            return refused("refresh token expired; log in again");
        }
        if (!memberships.isMember(em, family.orgId(), family.userId())) {
            family.revoke(now, REMOVED_FROM_ORG);
            return refused("you are no longer a member of this org; log in again");
        }
        TokenResponse answer = mint(em, family, Ids.hash(presented), issuer, now);
        try {
            token.rotated(now, SealedAnswer.seal(presented, Json.lenient().writeValueAsBytes(answer)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Refresh(answer, null);
    }

    /**
     * A refresh token presented again after its rotation. Within {@link #REUSE_GRACE}, while its
     * successor is still unused, it is a client retrying a refresh whose answer it lost (a timeout,
     * a killed process) or racing itself: it gets that same answer again, so every retry converges on
     * one successor. Otherwise it is a stolen token, and the whole family is revoked.
     */
    private Refresh retried(EntityManager em, TokenFamily family, RefreshToken token, String presented, Instant now) {
        boolean successorUnused = !em.createQuery("select r.tokenHash from RefreshToken r where r.parentHash = :p and r.usedAt is null",
                String.class).setParameter("p", Ids.hash(presented)).getResultList().isEmpty();
        Optional<TokenResponse> answer = successorUnused && !now.isAfter(token.usedAt().plus(REUSE_GRACE)) && token.answerSealed() != null
                ? SealedAnswer.open(presented, token.answerSealed()).map(Tokens::readAnswer) : Optional.empty();
        if (answer.isEmpty()) {
            family.revoke(now, "refresh token reuse");
            return refused("refresh token was already used, so every token of this login is now revoked; log in again");
        }
        return new Refresh(answer.get(), null);
    }

    private static TokenResponse readAnswer(byte[] json) {
        try {
            return Json.lenient().readValue(json, TokenResponse.class);
        } catch (IOException e) {
            throw new UncheckedIOException("a sealed refresh answer does not read", e);
        }
    }

    /**
     * Ends every session of a user for an org now, not when their tokens run out: their refresh
     * tokens stop working, their access tokens are refused at the next request, their page sessions
     * end, and a device login they approved but whose tokens were not fetched yet is denied (or it
     * would start a session after this).
     *
     * @return how many sessions ended
     */
    public int revokeSessions(EntityManager em, String userId, String orgId, String reason, Instant now) {
        int families = em.createQuery("update TokenFamily f set f.revokedAt = :now, f.revokeReason = :reason "
                + "where f.userId = :u and f.orgId = :o and f.revokedAt is null")
                .setParameter("now", now).setParameter("reason", reason).setParameter("u", userId).setParameter("o", orgId)
                .executeUpdate();
        ReadCache.changed();
        em.createQuery("update DeviceGrant g set g.status = :denied where g.userId = :u and g.orgId = :o and g.status = :approved")
                .setParameter("denied", DeviceGrant.Status.DENIED).setParameter("approved", DeviceGrant.Status.APPROVED)
                .setParameter("u", userId).setParameter("o", orgId).executeUpdate();
        return families + pages.end(em, userId, orgId);
    }

    /**
     * RFC 7009: revokes the family of a refresh or access token. Unknown tokens are ignored, as the RFC
     * asks, so the endpoint tells an attacker nothing.
     */
    public void revoke(EntityManager em, String token, String clientId, Instant now) {
        if (token == null || token.isBlank()) {
            return;
        }
        RefreshToken refresh = em.find(RefreshToken.class, Ids.hash(token));
        String familyId = refresh != null ? refresh.familyId() : verifyAccess(token, now).map(AccessClaims::sid).orElse(null);
        if (familyId != null) {
            TokenFamily family = em.find(TokenFamily.class, familyId, LockModeType.PESSIMISTIC_WRITE);
            // RFC 7009 §2.1: only the client the token was issued to may revoke it.
            if (family != null && family.clientId().equals(clientId)) {
                family.revoke(now, "revoked by client");
            }
        }
    }

    /** The caller behind an {@code Authorization: Bearer} header; 401 problem when there is none. */
    public Principal authenticate(EntityManager em, String authorization, Instant now) {
        return authenticate(em, bearer(authorization, now));
    }

    /** The caller of verified {@link #bearer} claims, unless their login was revoked since (401 problem). */
    public Principal authenticate(EntityManager em, AccessClaims claims) {
        TokenFamily family = em.find(TokenFamily.class, claims.sid());
        if (family == null || family.revoked()) {
            throw ProblemException.unauthorized("this login was revoked; log in again");
        }
        return new Principal(claims.sub(), claims.org(), claims.sid(), claims.clientId());
    }

    /**
     * The claims of a signed, unexpired access token in an {@code Authorization: Bearer} header,
     * checked without the database (whether its login was revoked since is {@link #authenticate}'s
     * part); 401 problem when there is none.
     */
    public AccessClaims bearer(String authorization, Instant now) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ProblemException.unauthorized("send an access token as 'Authorization: Bearer <token>'; run `ccp login` to get one");
        }
        return verifyAccess(authorization.substring(7).strip(), now).orElseThrow(() ->
                ProblemException.unauthorized("the access token is not valid or has expired; refresh it or log in again"));
    }

    Optional<AccessClaims> verifyAccess(String token, Instant now) {
        AccessClaims known = verified.get(token);
        if (known != null) {
            return now.getEpochSecond() < known.exp() ? Optional.of(known) : Optional.empty();
        }
        SignedJson.Outcome outcome = SignedJson.verify(token, ACCESS_TYPE, keys.verifiers(KeyPurpose.ACCESS));
        if (outcome.verified() == null) {
            return Optional.empty();
        }
        try {
            AccessClaims claims = Json.lenient().readValue(outcome.verified().payload(), AccessClaims.class);
            if (claims.sid() == null) {
                return Optional.empty();
            }
            if (verified.size() >= VERIFIED_MAX) {
                verified.clear();
            }
            verified.put(token, claims);
            return now.getEpochSecond() < claims.exp() ? Optional.of(claims) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private TokenResponse mint(EntityManager em, TokenFamily family, String parentHash, String issuer, Instant now) {
        String refresh = Ids.secret();
        em.persist(new RefreshToken(Ids.hash(refresh), family.id(), parentHash, now, now.plus(config.refreshTokenTtl())));
        long ttl = config.accessTokenTtl().toSeconds();
        AccessClaims claims = new AccessClaims(issuer, family.userId(), family.orgId(), family.id(), family.clientId(),
                now.getEpochSecond(), now.getEpochSecond() + ttl, Ids.id("at"));
        String access;
        try {
            access = SignedJson.sign(ACCESS_TYPE, Json.lenient().writeValueAsBytes(claims), keys.signer(KeyPurpose.ACCESS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        em.flush();
        return new TokenResponse(access, "Bearer", ttl, refresh, null);
    }

    private static Refresh refused(String why) {
        return new Refresh(null, new OAuthError(OAuthError.INVALID_GRANT, why));
    }
}
