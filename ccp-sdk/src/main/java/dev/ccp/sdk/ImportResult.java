package dev.ccp.sdk;

/**
 * What {@link Usage#importEvents} did.
 *
 * @param imported events added, with their rollups
 * @param present events skipped because an equal one was stored already (or came earlier in the list)
 * @param tooOld events skipped because they are older than the raw-event retention: they would be
 *     pruned at once, and then a second import could no longer tell that it had seen them
 */
public record ImportResult(int imported, int present, int tooOld) {
}
