package dev.ccp.spi.policy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ccp.spi.license.Ed25519Key;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.license.SignedJson;
import dev.ccp.spi.policy.PolicyVerification.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Signs and verifies policy packs: compact JWS, {@code alg: EdDSA}, {@code typ: ccp-policy+jwt},
 * signed only by keys whose kid starts with {@code policy-}. The payload is the canonical JSON of
 * {@link PolicyClaims}: keys sorted at every level, no white space, so one version's document always
 * has the same bytes and two copies can be compared byte for byte.
 *
 * <p>Checks run in order: framing, key, signature, claims, org, channel, then time (with
 * {@link #skew()} either way). Which version may replace which is the caller's rule, since only the
 * caller knows the pack it holds.
 */
public final class PolicyPackCodec {

    public static final String TYPE = "ccp-policy+jwt";
    public static final String KEY_PURPOSE = "policy";
    /** The channels an org publishes to. */
    public static final Set<String> CHANNELS = Set.of("dev", "prod");
    public static final Duration DEFAULT_SKEW = Duration.ofMinutes(5);

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Duration skew;

    public PolicyPackCodec() {
        this(DEFAULT_SKEW);
    }

    public PolicyPackCodec(Duration skew) {
        if (skew.isNegative()) {
            throw new IllegalArgumentException("skew must not be negative: " + skew);
        }
        this.skew = skew;
    }

    public Duration skew() {
        return skew;
    }

    /** The canonical text of a JSON value: sorted keys, no white space. */
    public static String canonical(JsonNode json) {
        try {
            return CANONICAL.writeValueAsString(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The HTTP entity tag of a pack: its version and issue time. Two signings of one version within
     * the same second have the same claims and so, Ed25519 being deterministic, the same bytes; so a
     * client names the pack it holds from the pack alone.
     */
    public static String etag(PolicyClaims claims) {
        return claims.version() + "." + claims.iat();
    }

    public String sign(PolicyClaims claims, Ed25519Key key) {
        Objects.requireNonNull(claims, "claims");
        if (!key.kid().startsWith(KEY_PURPOSE + "-")) {
            throw new IllegalArgumentException("policy packs are signed with a policy- key, not " + key.kid());
        }
        try {
            return SignedJson.sign(TYPE, CANONICAL.writeValueAsBytes(claims), key);
        } catch (IOException e) {
            throw new IllegalStateException("claims do not serialize", e);
        }
    }

    /**
     * Reads the claims of a pack without checking anything: for the server, which re-signs packs it
     * issued itself, and for showing what a refused pack claimed.
     *
     * @throws IllegalArgumentException when the text is not a compact JWS with policy claims
     */
    public static PolicyClaims unverifiedClaims(String compact) {
        try {
            return CANONICAL.readValue(com.nimbusds.jose.JWSObject.parse(compact).getPayload().toBytes(), PolicyClaims.class);
        } catch (java.text.ParseException | IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a policy pack: " + e.getMessage(), e);
        }
    }

    /**
     * Checks a pack offline.
     *
     * @param trusted the keys to accept; only their {@code policy-} keys are used
     * @param org the org slug the pack must be for
     * @param channel the channel the pack must be for
     */
    public PolicyVerification verify(String compact, KeyRing trusted, String org, String channel, Instant now) {
        SignedJson.Outcome outcome = SignedJson.verify(compact, TYPE, trusted.forPurpose(KEY_PURPOSE));
        if (outcome.failure() != null) {
            Result result = switch (outcome.failure()) {
                case MALFORMED -> Result.MALFORMED;
                case UNKNOWN_KEY -> Result.UNKNOWN_KEY;
                case BAD_SIGNATURE -> Result.BAD_SIGNATURE;
            };
            return new PolicyVerification(result, null, null, outcome.kid(), outcome.detail());
        }
        String kid = outcome.kid();
        PolicyClaims claims;
        PolicyDocument document;
        try {
            claims = CANONICAL.readValue(outcome.verified().payload(), PolicyClaims.class);
            document = PolicyDocument.of(claims.policy());
        } catch (IOException | RuntimeException e) {
            return new PolicyVerification(Result.MALFORMED, null, null, kid, "the claims do not parse: " + e.getMessage());
        }
        if (!claims.org().equals(org)) {
            return refused(Result.WRONG_ORG, claims, kid, "the pack is for org " + claims.org() + ", not " + org);
        }
        if (!claims.channel().equals(channel)) {
            return refused(Result.WRONG_CHANNEL, claims, kid, "the pack is for channel " + claims.channel() + ", not " + channel);
        }
        if (claims.issuedAt().isAfter(now.plus(skew))) {
            return refused(Result.ISSUED_IN_FUTURE, claims, kid, "the pack was issued at " + claims.issuedAt()
                    + ", after the local time " + now + ": check the clock");
        }
        if (!now.minus(skew).isBefore(claims.expiresAt())) {
            return refused(Result.EXPIRED, claims, kid, "the pack expired at " + claims.expiresAt()
                    + ": it was not refreshed by the server since");
        }
        return new PolicyVerification(Result.VALID, claims, document, kid,
                "version " + claims.version() + ", valid until " + claims.expiresAt());
    }

    private static PolicyVerification refused(Result result, PolicyClaims claims, String kid, String detail) {
        return new PolicyVerification(result, claims, null, kid, detail);
    }
}
