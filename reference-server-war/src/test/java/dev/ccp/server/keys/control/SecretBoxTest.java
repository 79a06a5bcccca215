package dev.ccp.server.keys.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import dev.ccp.server.identity.control.Principal;
import dev.ccp.server.platform.http.ProblemException;
import dev.ccp.server.testing.Fixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets sealed for the database: they open only where they were stored, with a key of the keys
 * folder; a changed or moved value is refused; values stored before sealing read as they are, and
 * are sealed in place once.
 */
class SecretBoxTest {

    static final String TOKEN = "xoxb-2048-4096-Zq8Rn3Vt5Wy7Bc9Df1Gh2Jk4";
    static final String HERE = SecretBox.context("slack_teams", "bot_token", "T0001");

    @TempDir
    Path dir;

    @Test
    void aSealedSecretHoldsNoneOfItsValueAndOpensWhereItWasStored() throws Exception {
        SecretBox box = SecretBox.in(dir);
        String sealed = box.seal(TOKEN, HERE);

        assertThat(sealed).startsWith(SecretBox.PREFIX).doesNotContain(TOKEN).doesNotContain("Zq8Rn3");
        assertThat(box.seal(TOKEN, HERE)).as("a fresh nonce each time").isNotEqualTo(sealed);
        assertThat(box.open(sealed, HERE)).isEqualTo(TOKEN);
        assertThat(SecretBox.in(dir).open(sealed, HERE)).as("another node, the same folder").isEqualTo(TOKEN);
        Path file = dir.resolve(SecretBox.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aValueMovedToAnotherRowChangedOrSealedWithAnotherFoldersKeyDoesNotOpen() throws Exception {
        SecretBox box = SecretBox.in(dir);
        String sealed = box.seal(TOKEN, HERE);

        assertThatThrownBy(() -> box.open(sealed, SecretBox.context("slack_teams", "bot_token", "T0002")))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(503))
                .hasMessageContaining("does not open").hasMessageNotContaining(TOKEN);
        String[] parts = sealed.split("\\.");
        byte[] body = Base64.getUrlDecoder().decode(parts[3]);
        body[0] ^= 1;
        String changed = String.join(".", parts[0], parts[1], parts[2], Base64.getUrlEncoder().withoutPadding().encodeToString(body));
        assertThatThrownBy(() -> box.open(changed, HERE)).hasMessageContaining("does not open");
        assertThatThrownBy(() -> box.open(SecretBox.PREFIX + "x", HERE)).hasMessageContaining("not in the keys folder's " + SecretBox.FILE);

        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        assertThatThrownBy(() -> SecretBox.in(elsewhere).open(sealed, HERE)).as("a different folder made its own key")
                .hasMessageContaining("not in the keys folder's " + SecretBox.FILE);
    }

    @Test
    void aNewKeyPutFirstSealsFromThenOnAndTheOldOneStillOpens() throws Exception {
        String old = SecretBox.in(dir).seal(TOKEN, HERE);
        Path file = dir.resolve(SecretBox.FILE);
        List<com.nimbusds.jose.jwk.JWK> keys = new ArrayList<>(JWKSet.parse(Files.readString(file)).getKeys());
        byte[] fresh = new byte[32];
        fresh[0] = 7;
        keys.add(0, new OctetSequenceKey.Builder(fresh).keyID("secrets-next").build());
        Files.writeString(file, new JWKSet(keys).toString(false), StandardCharsets.UTF_8);

        SecretBox rotated = SecretBox.in(dir);
        assertThat(rotated.seal(TOKEN, HERE)).startsWith(SecretBox.PREFIX + "secrets-next.");
        assertThat(rotated.open(old, HERE)).isEqualTo(TOKEN);
    }

    @Test
    void aFileWithoutUsableKeysIsRefusedAtStart() throws Exception {
        Files.writeString(dir.resolve(SecretBox.FILE), "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"short\",\"k\":\"AAAA\"}]}");
        assertThatThrownBy(() -> SecretBox.in(dir)).hasMessageContaining("256-bit oct keys");
    }

    @Test
    void valuesStoredBeforeSealingReadAsTheyAreAndAreSealedInPlaceOnce() throws Exception {
        SecretBox box = SecretBox.in(dir);
        assertThat(box.open(TOKEN, HERE)).isEqualTo(TOKEN);
        Fixture f = new Fixture(dir.resolve("server-keys"));
        try {
            Principal owner = f.signIn("owner@acme.example");
            f.tx.run(em -> {
                for (String team : List.of("T0001", "T0002")) {
                    em.createNativeQuery("insert into slack_teams (team_id, team_name, org_id, bot_token, installed_by, installed_at)"
                            + " values (?1, 'Acme', ?2, ?3, ?4, current_timestamp)").setParameter(1, team).setParameter(2, owner.orgId())
                            .setParameter(3, TOKEN + team).setParameter(4, owner.userId()).executeUpdate();
                }
            });
            int first = f.tx.call(em -> box.sealStored(em, "slack_teams", "team_id", "bot_token"));
            int second = f.tx.call(em -> box.sealStored(em, "slack_teams", "team_id", "bot_token"));
            assertThat(first).isEqualTo(2);
            assertThat(second).as("sealed once").isZero();

            List<?> rows = f.tx.call(em -> em.createNativeQuery("select team_id, bot_token from slack_teams order by team_id").getResultList());
            assertThat(rows).hasSize(2);
            for (Object row : rows) {
                Object[] r = (Object[]) row;
                assertThat((String) r[1]).startsWith(SecretBox.PREFIX).doesNotContain(TOKEN);
                assertThat(box.open((String) r[1], SecretBox.context("slack_teams", "bot_token", (String) r[0]))).isEqualTo(TOKEN + r[0]);
            }

            // A new key put first: the next start seals every value with it, so the old key can go.
            Path file = dir.resolve(SecretBox.FILE);
            List<com.nimbusds.jose.jwk.JWK> keys = new ArrayList<>(JWKSet.parse(Files.readString(file)).getKeys());
            OctetSequenceKey next = new OctetSequenceKey.Builder(new byte[32]).keyID("secrets_next").build();
            keys.add(0, next);
            Files.writeString(file, new JWKSet(keys).toString(false), StandardCharsets.UTF_8);
            SecretBox rotated = SecretBox.in(dir);
            int resealed = f.tx.call(em -> rotated.sealStored(em, "slack_teams", "team_id", "bot_token"));
            assertThat(resealed).isEqualTo(2);
            Files.writeString(file, new JWKSet(next).toString(false), StandardCharsets.UTF_8);
            SecretBox newOnly = SecretBox.in(dir);
            for (Object row : f.tx.call(em -> em.createNativeQuery("select team_id, bot_token from slack_teams").getResultList())) {
                Object[] r = (Object[]) row;
                assertThat((String) r[1]).startsWith(SecretBox.PREFIX + "secrets_next.");
                assertThat(newOnly.open((String) r[1], SecretBox.context("slack_teams", "bot_token", (String) r[0]))).isEqualTo(TOKEN + r[0]);
            }
            int again = f.tx.call(em -> newOnly.sealStored(em, "slack_teams", "team_id", "bot_token"));
            assertThat(again).isZero();
        } finally {
            f.close();
        }
    }
}
