package dev.ccp.spi.license;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Signs and verifies license packs: compact JWS, {@code alg: EdDSA}, {@code typ: ccp-license+jwt}.
 * The server signs with it and the SDK verifies with it.
 *
 * <p>Verification order: framing, key, signature, claims, then time. Time checks allow
 * {@link #skew()} either way; a pack issued beyond that in the future of the local clock, or a local
 * clock earlier than the last time seen, is {@link LicenseStatus#CLOCK_ROLLBACK}: someone winding the
 * clock back to stretch an expired pack is the case this catches.
 */
public final class LicensePackCodec {

    public static final String TYPE = "ccp-license+jwt";
    public static final Duration DEFAULT_SKEW = Duration.ofMinutes(5);

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Entitlements are a map: sorted keys make the signed bytes of the same claims always the same.
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private final Duration skew;

    public LicensePackCodec() {
        this(DEFAULT_SKEW);
    }

    public LicensePackCodec(Duration skew) {
        if (skew.isNegative()) {
            throw new IllegalArgumentException("skew must not be negative: " + skew);
        }
        this.skew = skew;
    }

    public Duration skew() {
        return skew;
    }

    public String sign(LicenseClaims claims, Ed25519Key key) {
        Objects.requireNonNull(claims, "claims");
        try {
            return SignedJson.sign(TYPE, JSON.writeValueAsBytes(claims), key);
        } catch (IOException e) {
            throw new IllegalStateException("claims do not serialize", e);
        }
    }

    /**
     * Verifies a pack offline.
     *
     * @param compact the pack, or null when there is none
     * @param trusted the keys to accept
     * @param now the local time
     * @param lastSeen the latest local time seen by an earlier check, or null
     */
    public Verification verify(String compact, KeyRing trusted, Instant now, Instant lastSeen) {
        if (compact == null) {
            return Verification.of(LicenseStatus.MISSING, null, "no license pack");
        }
        SignedJson.Outcome outcome = SignedJson.verify(compact, TYPE, trusted);
        if (outcome.failure() != null) {
            LicenseStatus status = switch (outcome.failure()) {
                case MALFORMED -> LicenseStatus.MALFORMED;
                case UNKNOWN_KEY -> LicenseStatus.UNKNOWN_KEY;
                case BAD_SIGNATURE -> LicenseStatus.BAD_SIGNATURE;
            };
            return Verification.of(status, outcome.kid(), outcome.detail());
        }
        LicenseClaims claims;
        try {
            claims = JSON.readValue(outcome.verified().payload(), LicenseClaims.class);
        } catch (IOException | RuntimeException e) {
            return Verification.of(LicenseStatus.MALFORMED, outcome.kid(), "claims do not parse: " + e.getMessage());
        }
        LicenseStatus status = timeStatus(claims, now, lastSeen);
        return new Verification(status, claims, outcome.kid(), detail(status, claims, now));
    }

    private LicenseStatus timeStatus(LicenseClaims c, Instant now, Instant lastSeen) {
        if (lastSeen != null && now.plus(skew).isBefore(lastSeen)) {
            return LicenseStatus.CLOCK_ROLLBACK;
        }
        if (c.issuedAt().isAfter(now.plus(skew))) {
            return LicenseStatus.CLOCK_ROLLBACK;
        }
        if (c.notBefore().isAfter(now.plus(skew))) {
            return LicenseStatus.NOT_YET_VALID;
        }
        if (now.minus(skew).isBefore(c.expiresAt())) {
            return LicenseStatus.VALID;
        }
        if (now.minus(skew).isBefore(c.graceUntilInstant())) {
            return LicenseStatus.GRACE;
        }
        return LicenseStatus.EXPIRED;
    }

    private static String detail(LicenseStatus status, LicenseClaims c, Instant now) {
        return switch (status) {
            case CLOCK_ROLLBACK -> "the local clock (" + now + ") is behind the last time seen or the pack's issue time";
            case NOT_YET_VALID -> "valid from " + c.notBefore();
            case VALID -> "valid until " + c.expiresAt();
            case GRACE -> "expired at " + c.expiresAt() + ", in grace until " + c.graceUntilInstant();
            default -> "expired at " + c.graceUntilInstant();
        };
    }
}
