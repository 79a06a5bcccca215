package dev.ccp.spi.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One change to an org, as its audit log keeps it. {@code hash} covers the previous entry's hash and
 * this entry's canonical JSON ({@link AuditChain#canonical}), so that editing, removing or reordering
 * any entry breaks the chain from there on.
 *
 * @param org the org's id
 * @param seq the entry's number in the org's log, from 1, without gaps
 * @param at when the change was made (whole milliseconds)
 * @param action what was done, such as {@code member.added} or {@code license.plan_changed}
 * @param actorType who did it: {@code user}, {@code operator}, {@code billing} or {@code system}
 * @param actorId which of them: a user id, an operator's name, a billing provider
 * @param targets what the change was made to, such as the member's login or the invite's id
 * @param details what changed, with its cause; never a secret
 * @param prevHash the previous entry's hash; {@link AuditChain#GENESIS} for the first
 * @param hash this entry's hash
 */
public record AuditEntry(String org, long seq, Instant at, String action, String actorType, String actorId,
        Map<String, Object> targets, Map<String, Object> details, String prevHash, String hash) {

    public AuditEntry {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actorType, "actorType");
        targets = targets == null ? Map.of() : Map.copyOf(targets);
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
