package dev.ccp.server.github.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.ccp.spi.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app's own credentials: its key as GitHub hands it out, and the JWT it proves itself with. */
class GitHubApiTest {

    static final KeyPair KEYS = keys();

    @Test
    void theKeyIsReadAsPkcs8AsGitHubsPkcs1AndFromAFile(@TempDir Path dir) throws Exception {
        byte[] pkcs8 = KEYS.getPrivate().getEncoded();
        assertThat(GitHubApi.key(pem("PRIVATE KEY", pkcs8)).getEncoded()).isEqualTo(pkcs8);
        assertThat(GitHubApi.key(pem("RSA PRIVATE KEY", pkcs1(pkcs8))).getEncoded()).isEqualTo(pkcs8);
        Path file = Files.writeString(dir.resolve("app.pem"), pem("RSA PRIVATE KEY", pkcs1(pkcs8)));
        assertThat(GitHubApi.key(file.toString()).getEncoded()).isEqualTo(pkcs8);
        assertThatThrownBy(() -> GitHubApi.key(dir.resolve("missing.pem").toString())).hasMessageContaining("CCP_GITHUB_PRIVATE_KEY");
    }

    @Test
    void theAppsJwtIsRs256IssuedByTheAppAMinuteBackAndGoodForNineMinutes() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
        GitHubApi api = new GitHubApi("https://api.github.test", "424242", pem("PRIVATE KEY", KEYS.getPrivate().getEncoded()), clock);

        SignedJWT jwt = SignedJWT.parse(api.appJwt());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) KEYS.getPublic()))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("424242");
        assertThat(jwt.getJWTClaimsSet().getIssueTime().toInstant()).isEqualTo(clock.instant().minusSeconds(60));
        Duration ahead = Duration.between(clock.instant(), jwt.getJWTClaimsSet().getExpirationTime().toInstant());
        assertThat(ahead).as("GitHub refuses an exp more than ten minutes ahead of its clock").isLessThanOrEqualTo(Duration.ofMinutes(9));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** The PKCS#1 key inside a PKCS#8 one: the content of its last element, an OCTET STRING. */
    private static byte[] pkcs1(byte[] pkcs8) {
        int at = header(pkcs8, 0); // the outer SEQUENCE
        at = skip(pkcs8, at); // version INTEGER
        at = skip(pkcs8, at); // algorithm SEQUENCE
        int content = header(pkcs8, at); // the OCTET STRING
        return Arrays.copyOfRange(pkcs8, content, pkcs8.length);
    }

    /** Where the content of the element at {@code at} starts. */
    private static int header(byte[] der, int at) {
        int length = der[at + 1] & 0xff;
        return at + 2 + ((length & 0x80) != 0 ? length & 0x7f : 0);
    }

    /** Where the element after the one at {@code at} starts. */
    private static int skip(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        int length = first;
        int bytes = 0;
        if ((first & 0x80) != 0) {
            bytes = first & 0x7f;
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = length << 8 | der[at + 2 + i] & 0xff;
            }
        }
        return at + 2 + bytes + length;
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
