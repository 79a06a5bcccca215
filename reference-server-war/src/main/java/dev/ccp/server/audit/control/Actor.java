package dev.ccp.server.audit.control;

import java.util.Objects;

/**
 * Who made a change: a person ({@code user} and their id), the vendor's {@code operator}, a
 * {@code billing} provider, or the server itself ({@code system}).
 */
public record Actor(String type, String id) {

    public Actor {
        Objects.requireNonNull(type, "type");
    }

    public static Actor user(String userId) {
        return new Actor("user", userId);
    }

    public static Actor operator(String name) {
        return new Actor("operator", name);
    }

    public static Actor billing(String provider) {
        return new Actor("billing", provider);
    }
}
