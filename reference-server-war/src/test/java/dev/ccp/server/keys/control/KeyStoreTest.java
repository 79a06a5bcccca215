package dev.ccp.server.keys.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.spi.license.Ed25519Key;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyStoreTest {

    @TempDir
    Path dir;

    @Test
    void firstStartGeneratesOneSecretKeyFilePerPurpose() throws Exception {
        KeyStore store = new KeyStore(dir);
        for (KeyPurpose purpose : KeyPurpose.values()) {
            Path file = dir.resolve(purpose.prefix() + ".jwks");
            assertThat(file).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(store.signer(purpose).kid()).startsWith(purpose.prefix() + "-");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void keysSurviveARestart() {
        String kid = new KeyStore(dir).signer(KeyPurpose.LICENSE).kid();
        assertThat(new KeyStore(dir).signer(KeyPurpose.LICENSE).kid()).isEqualTo(kid);
    }

    @Test
    void rotationSignsWithTheNewKeyAndKeepsTheOldOneVerifyingUntilRetired() {
        KeyStore store = new KeyStore(dir);
        Ed25519Key old = store.signer(KeyPurpose.LICENSE);
        byte[] signedByOld = old.sign(new byte[] {7});

        Ed25519Key fresh = store.rotate(KeyPurpose.LICENSE);

        assertThat(store.signer(KeyPurpose.LICENSE).kid()).isEqualTo(fresh.kid());
        assertThat(store.verifiers(KeyPurpose.LICENSE).find(old.kid()).orElseThrow().verify(new byte[] {7}, signedByOld)).isTrue();
        assertThat(store.published().find(old.kid())).isPresent();
        assertThat(new KeyStore(dir).verifiers(KeyPurpose.LICENSE).keys()).hasSize(2);

        assertThat(store.retire(old.kid())).isTrue();
        assertThat(store.verifiers(KeyPurpose.LICENSE).find(old.kid())).isEmpty();
        assertThatThrownBy(() -> store.retire(fresh.kid())).hasMessageContaining("rotate before retiring");
    }

    @Test
    void aRotationByAnotherNodeIsPickedUpFromTheSharedFolder() {
        KeyStore nodeA = new KeyStore(dir, java.time.Duration.ZERO);
        KeyStore nodeB = new KeyStore(dir, java.time.Duration.ZERO);
        Ed25519Key fresh = nodeA.rotate(KeyPurpose.ACCESS);
        assertThat(nodeB.signer(KeyPurpose.ACCESS).kid()).isEqualTo(fresh.kid());
        assertThat(nodeB.published().find(fresh.kid())).isPresent();
    }

    @Test
    void suppliedKeysAreUsedAsTheyAre() {
        KeyStore first = new KeyStore(dir.resolve("a"));
        Ed25519Key access = first.signer(KeyPurpose.ACCESS);
        assertThat(new KeyStore(dir.resolve("a")).signer(KeyPurpose.ACCESS).samePublicKey(access)).isTrue();
        assertThat(first.published().toPublicJwks()).doesNotContain("\"d\"");
    }
}
