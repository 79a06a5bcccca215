package dev.ccp.server.billing.control;

/**
 * One verified webhook delivery, read: its id and type, and the subscription snapshot it carries,
 * or null for an event that changes no license (it is still recorded, so a repeat is known).
 *
 * @param note for an event without a snapshot, why it changes nothing
 */
public record Delivery(String id, String type, Snapshot snapshot, String note) {

    static Delivery noted(String id, String type, String note) {
        return new Delivery(id, type, null, note);
    }
}
