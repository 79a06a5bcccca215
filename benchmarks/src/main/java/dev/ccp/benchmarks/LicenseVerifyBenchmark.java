package dev.ccp.benchmarks;

import dev.ccp.sdk.License;
import dev.ccp.spi.license.Ed25519Key;
import dev.ccp.spi.license.KeyRing;
import dev.ccp.spi.license.LicenseClaims;
import dev.ccp.spi.license.LicensePackCodec;
import dev.ccp.spi.license.Verification;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Full offline verification of a license pack (JWS framing, key look-up, Ed25519, claims, time
 * checks) against the raw Ed25519 verify of the same signing input with the JDK. Target: full
 * verification within 1.3 times the raw check. Also the cost of {@code entitled(...)} after it, and
 * the raw check with BouncyCastle's Ed25519 instead of the JDK's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LicenseVerifyBenchmark {

    private final LicensePackCodec codec = new LicensePackCodec();
    private String pack;
    private KeyRing trusted;
    private Instant now;
    private byte[] signingInput;
    private byte[] signature;
    private PublicKey publicKey;
    private Ed25519PublicKeyParameters bcPublicKey;
    private License license;

    @Setup
    public void setUp() throws Exception {
        Ed25519Key key = Ed25519Key.generate("license");
        trusted = KeyRing.of(Ed25519Key.fromJwk(key.toPublicJwk()));
        long iat = 1_800_000_000L;
        now = Instant.ofEpochSecond(iat + 3600);
        LicenseClaims claims = new LicenseClaims("https://ccp.example/", "usr_0123456789abcdef0123", "acme", "seat_0123456789abcdef0123",
                "team", Map.of("zai_offload", true, "dashboards", true, "privacy_tier", "minimized"), 5,
                iat, iat, iat + 14 * 86400L, iat + 86400L, iat + 21 * 86400L, "lic_0123456789abcdef0123", "active", null);
        pack = codec.sign(claims, key);

        int lastDot = pack.lastIndexOf('.');
        signingInput = pack.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII);
        signature = Base64.getUrlDecoder().decode(pack.substring(lastDot + 1));
        byte[] raw = key.toPublicJwk().getDecodedX();
        byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(raw));
        publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        bcPublicKey = new Ed25519PublicKeyParameters(raw, 0);

        Verification verification = codec.verify(pack, trusted, now, null);
        if (!verification.status().grants()) {
            throw new IllegalStateException("benchmark pack does not verify: " + verification);
        }
        license = License.of(verification);
    }

    /** The baseline: the JDK's Ed25519 over the same signing input, nothing else. */
    @Benchmark
    public boolean rawEd25519Verify() throws Exception {
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(publicKey);
        verifier.update(signingInput);
        return verifier.verify(signature);
    }

    /** The same check with BouncyCastle's Ed25519, for the choice between the two. */
    @Benchmark
    public boolean bouncyCastleEd25519Verify() {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, bcPublicKey);
        verifier.update(signingInput, 0, signingInput.length);
        return verifier.verifySignature(signature);
    }

    @Benchmark
    public Verification fullPackVerify() {
        return codec.verify(pack, trusted, now, null);
    }

    @Benchmark
    public boolean entitled() {
        return license.entitled("zai_offload");
    }
}
