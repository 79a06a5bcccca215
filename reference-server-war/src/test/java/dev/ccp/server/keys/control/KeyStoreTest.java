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
    void nodesStartingTogetherOnAnEmptyFolderMakeOneRingAndAllSignWithIt() throws Exception {
        Path shared = dir.resolve("shared");
        java.util.concurrent.ExecutorService nodes = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<String>> signers = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                signers.add(nodes.submit(() -> {
                    go.await();
                    return new KeyStore(shared).signer(KeyPurpose.LICENSE).kid();
                }));
            }
            go.countDown();
            java.util.Set<String> kids = new java.util.HashSet<>();
            for (java.util.concurrent.Future<String> signer : signers) {
                kids.add(signer.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertThat(kids).as("one signing key, whichever node made it").hasSize(1);
            assertThat(new KeyStore(shared).signer(KeyPurpose.LICENSE).kid()).isEqualTo(kids.iterator().next());
            try (java.util.stream.Stream<Path> left = Files.list(shared)) {
                assertThat(left.map(p -> p.getFileName().toString())).as("no temporary files left").noneMatch(n -> n.endsWith(".tmp"));
            }
        } finally {
            nodes.shutdownNow();
        }
    }

    @Test
    void aNoticeFromTheRotatingNodeIsPickedUpAtOnce() {
        KeyStore a = new KeyStore(dir, java.time.Duration.ofHours(1));
        KeyStore b = new KeyStore(dir, java.time.Duration.ofHours(1));
        Ed25519Key fresh = a.rotate(KeyPurpose.ACCESS);
        assertThat(b.verifiers(KeyPurpose.ACCESS).find(fresh.kid())).as("not looked at the files yet").isEmpty();
        b.reloadNow();
        assertThat(b.verifiers(KeyPurpose.ACCESS).find(fresh.kid())).isPresent();
        assertThat(b.signer(KeyPurpose.ACCESS).kid()).isEqualTo(fresh.kid());
    }

    @Test
    void suppliedKeysAreUsedAsTheyAre() {
        KeyStore first = new KeyStore(dir.resolve("a"));
        Ed25519Key access = first.signer(KeyPurpose.ACCESS);
        assertThat(new KeyStore(dir.resolve("a")).signer(KeyPurpose.ACCESS).samePublicKey(access)).isTrue();
        assertThat(first.published().toPublicJwks()).doesNotContain("\"d\"");
    }
}
