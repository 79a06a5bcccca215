package dev.ccp.spi.license;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/**
 * Fixed license pack test vectors, shared by the SPI, SDK and server tests through the SPI test-jar.
 * The keys are the RFC 8032 §7.1 test keys; Ed25519 is deterministic, so the packs are fixed bytes.
 */
public final class LicenseVectors {

    public static final String KID = "license-test";
    /** RFC 8032 §7.1 TEST 1. */
    public static final Ed25519Key KEY = Ed25519Key.ofPrivate(KID,
            HexFormat.of().parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"),
            HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    /** RFC 8032 §7.1 TEST 2, published under the same kid: a forger's key. */
    public static final Ed25519Key WRONG_KEY = Ed25519Key.ofPrivate(KID,
            HexFormat.of().parseHex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"),
            HexFormat.of().parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));

    public static final KeyRing TRUSTED = KeyRing.of(KEY);

    /** 2027-01-15T08:00:00Z, when the vectors were issued. */
    public static final Instant ISSUED = Instant.ofEpochSecond(1_800_000_000L);
    /** One hour after issue: inside the validity window of {@link #VALID}. */
    public static final Instant NOW = ISSUED.plusSeconds(3600);

    public static final LicenseClaims VALID_CLAIMS = claims(ISSUED, 14);
    /** Issued 40 days before {@link #NOW}: 14 days valid plus 7 of grace are long over. */
    public static final LicenseClaims EXPIRED_CLAIMS = claims(NOW.minusSeconds(40L * 86400), 14);

    public static final String VALID = read("valid.jws");
    public static final String TAMPERED_PAYLOAD = read("tampered-payload.jws");
    public static final String TAMPERED_SIGNATURE = read("tampered-signature.jws");
    public static final String WRONG_KEY_PACK = read("wrong-key.jws");
    public static final String EXPIRED = read("expired.jws");

    private LicenseVectors() {
    }

    public static LicenseClaims claims(Instant issued, int validDays) {
        long iat = issued.getEpochSecond();
        long exp = iat + validDays * 86400L;
        return new LicenseClaims("https://ccp.example", "usr_vectors", "acme", "seat_1", "pro",
                Map.of("zai_offload", true, "dashboards", true, "privacy_tier", "minimized"),
                5, iat, iat, exp, iat + 86400L, exp + 7 * 86400L, "lic_vectors", "active", null);
    }

    private static String read(String name) {
        try (InputStream in = LicenseVectors.class.getResourceAsStream("/vectors/license/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test vector " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
