package dev.ccp.spi.license;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import dev.ccp.spi.wire.JsonValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** An immutable set of Ed25519 keys by kid: the keys a verifier trusts, or a JWKS to publish. */
public final class KeyRing {

    private final Map<String, Ed25519Key> byKid;

    private KeyRing(Map<String, Ed25519Key> byKid) {
        this.byKid = byKid;
    }

    public static KeyRing of(Collection<Ed25519Key> keys) {
        Map<String, Ed25519Key> map = new LinkedHashMap<>();
        for (Ed25519Key key : keys) {
            if (map.putIfAbsent(key.kid(), key) != null) {
                throw new IllegalArgumentException("duplicate kid " + key.kid());
            }
        }
        // Kept in the given order, so that fingerprints are shown in the order the server lists its keys.
        return new KeyRing(java.util.Collections.unmodifiableMap(map));
    }

    public static KeyRing of(Ed25519Key... keys) {
        return of(List.of(keys));
    }

    /**
     * Reads a JWKS document. Keys that are not OKP/Ed25519 are skipped, so a server may publish other
     * kinds later without breaking older clients.
     *
     * @throws IllegalArgumentException if the text is not a JWKS
     */
    public static KeyRing parseJwks(String json) {
        // Read with Jackson's streaming parser rather than nimbus' own: pinned keys are read at every start.
        try {
            return fromJwks(json == null ? null : JsonValues.read(json.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JWK set: " + e.getMessage(), e);
        }
    }

    /**
     * The same from a JWKS already read as plain values ({@link JsonValues}).
     *
     * @throws IllegalArgumentException if the value is not a JWKS
     */
    public static KeyRing fromJwks(Object jwks) {
        if (!(jwks instanceof Map<?, ?> set) || !(set.get("keys") instanceof List<?> entries)) {
            throw new IllegalArgumentException("not a JWK set: it has no \"keys\" array");
        }
        List<Ed25519Key> keys = new ArrayList<>();
        for (Object entry : entries) {
            if (entry instanceof Map<?, ?> jwk && "OKP".equals(jwk.get("kty")) && "Ed25519".equals(jwk.get("crv"))
                    && jwk.get("kid") instanceof String kid && jwk.get("x") instanceof String x) {
                try {
                    keys.add(Ed25519Key.ofPublic(kid, Base64.getUrlDecoder().decode(x)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("not a JWK set: key " + kid + " is malformed: " + e.getMessage(), e);
                }
            }
        }
        return of(keys);
    }

    /** The public halves as a JWKS document. */
    public String toPublicJwks() {
        List<JWK> jwks = new ArrayList<>();
        for (Ed25519Key key : byKid.values()) {
            jwks.add(key.toPublicJwk());
        }
        return new JWKSet(jwks).toString(true);
    }

    public Optional<Ed25519Key> find(String kid) {
        return kid == null ? Optional.empty() : Optional.ofNullable(byKid.get(kid));
    }

    public KeyRing filter(Predicate<Ed25519Key> keep) {
        return of(byKid.values().stream().filter(keep).toList());
    }

    /** Only the keys whose kid starts with {@code purpose + "-"}. */
    public KeyRing forPurpose(String purpose) {
        return filter(k -> k.kid().startsWith(purpose + "-"));
    }

    public Collection<Ed25519Key> keys() {
        return byKid.values();
    }

    public boolean isEmpty() {
        return byKid.isEmpty();
    }

    /** Same kids with the same public keys. */
    public boolean sameKeys(KeyRing other) {
        if (!byKid.keySet().equals(other.byKid.keySet())) {
            return false;
        }
        return byKid.values().stream().allMatch(k -> k.samePublicKey(other.byKid.get(k.kid())));
    }

    public List<String> fingerprints() {
        return byKid.values().stream().map(k -> k.kid() + " " + k.fingerprint()).toList();
    }
}
