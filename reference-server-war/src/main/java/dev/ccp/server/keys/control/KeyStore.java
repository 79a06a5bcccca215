package dev.ccp.server.keys.control;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import dev.ccp.server.platform.AtomicFiles;
import dev.ccp.spi.license.Ed25519Key;
import dev.ccp.spi.license.KeyRing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps one ring of keys per purpose in {@code <keys folder>/<purpose>.jwks} (mode 0600). A missing
 * ring is generated on first start; a ring supplied by the operator is used as it is. Rotation puts
 * a new key first (it signs from then on) and keeps the old ones verifying until they are retired.
 *
 * <p>Nodes of a cluster share one keys folder, where a ring is made once, by whichever node starts
 * first. A rotating node tells the others ({@link #reloadNow}); each also looks at the files'
 * modification times at most every {@code reloadEvery} and reloads what another node rotated, so
 * every node signs with and publishes the same keys.
 */
public final class KeyStore {

    private final Path dir;
    private final Map<KeyPurpose, List<Ed25519Key>> rings = new EnumMap<>(KeyPurpose.class);
    private final Map<KeyPurpose, Stamp> loaded = new EnumMap<>(KeyPurpose.class);
    private final long reloadEveryNanos;
    private long nextCheck;

    public KeyStore(Path dir) {
        this(dir, Duration.ofSeconds(30));
    }

    public KeyStore(Path dir, Duration reloadEvery) {
        this.dir = dir;
        this.reloadEveryNanos = reloadEvery.toNanos();
        for (KeyPurpose purpose : KeyPurpose.values()) {
            rings.put(purpose, load(purpose));
            loaded.put(purpose, modified(purpose));
        }
        nextCheck = System.nanoTime() + reloadEveryNanos;
    }

    /** Reloads rings whose files another node changed since they were read. */
    private void reloadChanged() {
        if (System.nanoTime() - nextCheck < 0) {
            return;
        }
        for (KeyPurpose purpose : KeyPurpose.values()) {
            Stamp now = modified(purpose);
            if (now != null && !now.equals(loaded.get(purpose))) {
                rings.put(purpose, load(purpose));
                loaded.put(purpose, now);
            }
        }
        nextCheck = System.nanoTime() + reloadEveryNanos;
    }

    /**
     * What tells a rewritten key file apart: every save replaces the file by an atomic move, so its
     * identity (the inode, where the file system has one) changes even when two saves fall in the
     * same tick of the file system's clock.
     */
    private record Stamp(FileTime modified, Object fileKey, long size) {
    }

    private Stamp modified(KeyPurpose purpose) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file(purpose), BasicFileAttributes.class);
            return new Stamp(attributes.lastModifiedTime(), attributes.fileKey(), attributes.size());
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads the key files again now, as another node just changed them, rather than at the next look. */
    public synchronized void reloadNow() {
        nextCheck = System.nanoTime();
        reloadChanged();
    }

    /** The key that signs for this purpose now. */
    public synchronized Ed25519Key signer(KeyPurpose purpose) {
        reloadChanged();
        return rings.get(purpose).get(0);
    }

    /** Every key that still verifies for this purpose. */
    public synchronized KeyRing verifiers(KeyPurpose purpose) {
        reloadChanged();
        return KeyRing.of(rings.get(purpose));
    }

    /** The public halves of every purpose, for {@code /.well-known/jwks.json}. */
    public synchronized KeyRing published() {
        reloadChanged();
        List<Ed25519Key> all = new ArrayList<>();
        rings.values().forEach(all::addAll);
        return KeyRing.of(all);
    }

    public synchronized Ed25519Key rotate(KeyPurpose purpose) {
        List<Ed25519Key> ring = new ArrayList<>(rings.get(purpose));
        Ed25519Key fresh = Ed25519Key.generate(purpose.prefix());
        ring.add(0, fresh);
        replace(purpose, ring);
        return fresh;
    }

    /**
     * Stops trusting a key. The signing key cannot be retired: rotate first.
     *
     * @return whether a key was retired
     */
    public synchronized boolean retire(String kid) {
        for (KeyPurpose purpose : KeyPurpose.values()) {
            List<Ed25519Key> ring = new ArrayList<>(rings.get(purpose));
            for (int i = 0; i < ring.size(); i++) {
                if (ring.get(i).kid().equals(kid)) {
                    if (i == 0) {
                        throw new IllegalStateException("key " + kid + " signs now; rotate before retiring it");
                    }
                    ring.remove(i);
                    replace(purpose, ring);
                    return true;
                }
            }
        }
        return false;
    }

    /** Every ring as it is now, to {@link #restore} should a change have to be taken back. */
    public synchronized Map<KeyPurpose, List<Ed25519Key>> rings() {
        reloadChanged();
        return Map.copyOf(rings);
    }

    /** Writes back each ring that differs from {@code earlier}, as {@link #rings} answered it. */
    public synchronized void restore(Map<KeyPurpose, List<Ed25519Key>> earlier) {
        for (Map.Entry<KeyPurpose, List<Ed25519Key>> ring : earlier.entrySet()) {
            if (!ring.getValue().equals(rings.get(ring.getKey()))) {
                replace(ring.getKey(), ring.getValue());
            }
        }
    }

    private List<Ed25519Key> load(KeyPurpose purpose) {
        Path file = file(purpose);
        if (!Files.exists(file)) {
            // Nodes that start together on an empty folder race here: one ring is made, the others read it.
            List<Ed25519Key> ring = List.of(Ed25519Key.generate(purpose.prefix()));
            if (AtomicFiles.createSecret(file, json(ring))) {
                return ring;
            }
        }
        try {
            List<Ed25519Key> ring = new ArrayList<>();
            for (JWK jwk : JWKSet.parse(Files.readString(file)).getKeys()) {
                if (!(jwk instanceof OctetKeyPair okp) || !okp.isPrivate()) {
                    throw new IllegalStateException(file + " must hold private OKP/Ed25519 keys only");
                }
                ring.add(Ed25519Key.fromJwk(okp));
            }
            if (ring.isEmpty()) {
                throw new IllegalStateException(file + " holds no key");
            }
            return List.copyOf(ring);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (ParseException e) {
            throw new IllegalStateException(file + " is not a JWK set: " + e.getMessage(), e);
        }
    }

    /** Writes a purpose's ring to its file and keeps it as the one in use, with the file's stamp. */
    private void replace(KeyPurpose purpose, List<Ed25519Key> ring) {
        AtomicFiles.writeSecret(file(purpose), json(ring));
        rings.put(purpose, List.copyOf(ring));
        loaded.put(purpose, modified(purpose));
    }

    private static byte[] json(List<Ed25519Key> ring) {
        List<JWK> jwks = ring.stream().<JWK>map(Ed25519Key::toPrivateJwk).toList();
        return new JWKSet(jwks).toString(false).getBytes(StandardCharsets.UTF_8);
    }

    private Path file(KeyPurpose purpose) {
        return dir.resolve(purpose.prefix() + ".jwks");
    }
}
