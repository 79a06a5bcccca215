package dev.ccp.spi.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccp.spi.wire.JsonValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chain as anyone checking an export offline sees it. */
class AuditChainTest {

    private static List<AuditEntry> chain(int n) {
        List<AuditEntry> entries = new ArrayList<>();
        AuditEntry previous = null;
        for (int i = 0; i < n; i++) {
            previous = AuditChain.append(previous, new AuditEntry("org_1", 0, Instant.parse("2026-12-01T10:00:00.123456Z").plusSeconds(i),
                    "member.added", "user", "usr_1", Map.of("login", "p" + i + "@example.com"), Map.of("role", "member", "seat", i % 2 == 0), null, null));
            entries.add(previous);
        }
        return entries;
    }

    @Test
    void appendNumbersLinksAndHashesEntries() {
        List<AuditEntry> entries = chain(3);

        assertThat(entries).extracting(AuditEntry::seq).containsExactly(1L, 2L, 3L);
        assertThat(entries.get(0).prevHash()).isEqualTo(AuditChain.GENESIS);
        assertThat(entries.get(1).prevHash()).isEqualTo(entries.get(0).hash());
        assertThat(entries.get(0).at()).as("kept to the millisecond").isEqualTo(Instant.parse("2026-12-01T10:00:00.123Z"));
        assertThat(AuditChain.verify(entries, AuditChain.GENESIS)).isNull();
    }

    @Test
    void theHashDoesNotDependOnTheOrderMembersWereWrittenIn() throws IOException {
        AuditEntry entry = chain(1).get(0);
        Map<String, Object> json = new LinkedHashMap<>(AuditChain.toJson(entry));
        Map<String, Object> reversed = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(json.keySet());
        Collections.reverse(names);
        names.forEach(k -> reversed.put(k, json.get(k)));
        byte[] line = JsonValues.write(reversed, false);

        AuditEntry read = AuditChain.fromJson(JsonValues.readObject(line));

        assertThat(read).isEqualTo(entry);
        assertThat(AuditChain.hash(read)).isEqualTo(entry.hash());
    }

    @Test
    void everyKindOfTamperingIsNamedAtItsEntry() {
        List<AuditEntry> entries = chain(4);
        AuditEntry second = entries.get(1);

        List<AuditEntry> edited = new ArrayList<>(entries);
        edited.set(1, new AuditEntry(second.org(), second.seq(), second.at(), "member.removed", second.actorType(), second.actorId(),
                second.targets(), second.details(), second.prevHash(), second.hash()));
        assertThat(AuditChain.verify(edited, AuditChain.GENESIS).seq()).isEqualTo(2);

        List<AuditEntry> rehashed = new ArrayList<>(edited);
        AuditEntry forged = rehashed.get(1);
        rehashed.set(1, new AuditEntry(forged.org(), forged.seq(), forged.at(), forged.action(), forged.actorType(), forged.actorId(),
                forged.targets(), forged.details(), forged.prevHash(), AuditChain.hash(forged)));
        assertThat(AuditChain.verify(rehashed, AuditChain.GENESIS).seq()).as("a forger who rehashes one entry breaks the next").isEqualTo(3);

        List<AuditEntry> dropped = new ArrayList<>(entries);
        dropped.remove(3);
        dropped.remove(0);
        assertThat(AuditChain.verify(dropped, AuditChain.GENESIS).seq()).isEqualTo(2);

        List<AuditEntry> otherOrg = new ArrayList<>(entries);
        AuditEntry last = otherOrg.get(3);
        otherOrg.set(3, new AuditEntry("org_2", last.seq(), last.at(), last.action(), last.actorType(), last.actorId(),
                last.targets(), last.details(), last.prevHash(), last.hash()));
        assertThat(AuditChain.verify(otherOrg, AuditChain.GENESIS).reason()).contains("another org");
    }

    @Test
    void anEntryWithoutItsMembersDoesNotRead() {
        assertThatThrownBy(() -> AuditChain.fromJson(JsonValues.readObject("{\"org\":\"o\",\"seq\":1}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IOException.class);
    }
}
