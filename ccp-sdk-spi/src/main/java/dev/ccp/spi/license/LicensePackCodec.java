package dev.ccp.spi.license;

import dev.ccp.spi.wire.JsonValues;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Signs and verifies license packs: compact JWS, {@code alg: EdDSA}, {@code typ: ccp-license+jwt}.
 * The server signs with it and the SDK verifies with it.
 *
 * <p>Verification order: framing, key, signature, claims, then time. Time checks allow
 * {@link #skew()} either way; a pack issued beyond that in the future of the local clock, or a local
 * clock earlier than the last time seen, is {@link LicenseStatus#CLOCK_ROLLBACK}: someone winding the
 * clock back to stretch an expired pack is the case this catches.
 *
 * <p>The claims are mapped by hand ({@link JsonValues}), not through an {@code ObjectMapper}: every
 * start of a tool verifies a pack, and building a mapper cost more than the signature check.
 */
public final class LicensePackCodec {

    public static final String TYPE = "ccp-license+jwt";
    public static final Duration DEFAULT_SKEW = Duration.ofMinutes(5);

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
        return SignedJson.sign(TYPE, JsonValues.write(toJson(claims), false), key);
    }

    /** The claims as JSON members, in the record's order; absent values left out. */
    static Map<String, Object> toJson(LicenseClaims c) {
        Map<String, Object> json = new LinkedHashMap<>();
        putIfPresent(json, "iss", c.iss());
        putIfPresent(json, "sub", c.sub());
        json.put("org", c.org());
        putIfPresent(json, "seat", c.seat());
        json.put("plan", c.plan());
        // Sorted, so that the same claims always give the same signed bytes.
        json.put("entitlements", new TreeMap<>(c.entitlements()));
        json.put("seats", c.seats());
        json.put("iat", c.iat());
        json.put("nbf", c.nbf());
        json.put("exp", c.exp());
        json.put("refresh_after", c.refreshAfter());
        json.put("grace_until", c.graceUntil());
        putIfPresent(json, "lid", c.lid());
        putIfPresent(json, "state", c.state());
        putIfPresent(json, "message", c.message());
        return json;
    }

    private static void putIfPresent(Map<String, Object> json, String name, Object value) {
        if (value != null) {
            json.put(name, value);
        }
    }

    /** Claims from a pack's payload. Members this version does not know are ignored, so newer servers do not break it. */
    static LicenseClaims fromJson(byte[] payload) throws IOException {
        Map<String, Object> json = JsonValues.readObject(payload);
        Object entitlements = json.get("entitlements");
        long seats = json.containsKey("seats") ? JsonValues.requiredLong(json, "seats") : 0;
        if (seats < 0 || seats > Integer.MAX_VALUE) {
            throw new IOException("\"seats\" is out of range");
        }
        return new LicenseClaims(
                JsonValues.string(json, "iss"),
                JsonValues.string(json, "sub"),
                JsonValues.requiredString(json, "org"),
                JsonValues.string(json, "seat"),
                JsonValues.requiredString(json, "plan"),
                entitlements == null ? Map.of() : JsonValues.object(entitlements, "\"entitlements\""),
                (int) seats,
                JsonValues.requiredLong(json, "iat"),
                JsonValues.requiredLong(json, "nbf"),
                JsonValues.requiredLong(json, "exp"),
                JsonValues.requiredLong(json, "refresh_after"),
                JsonValues.requiredLong(json, "grace_until"),
                JsonValues.string(json, "lid"),
                JsonValues.string(json, "state"),
                JsonValues.string(json, "message"));
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
            claims = fromJson(outcome.verified().payload());
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
