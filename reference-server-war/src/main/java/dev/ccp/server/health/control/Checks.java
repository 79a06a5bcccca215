package dev.ccp.server.health.control;

import dev.ccp.server.platform.database.Database;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether this node can serve: each check names what it looked at, so an operator sees which one
 * failed. Plain Java, so MicroProfile Health (where the server has it) and the plain JAX-RS fallback
 * report the same checks.
 */
public final class Checks {

    /** One check's outcome, in the MicroProfile Health shape: a name, UP or DOWN, and what it saw. */
    public record Check(String name, boolean up, Map<String, Object> data) {
    }

    private final Database database;

    public Checks(Database database) {
        this.database = database;
    }

    /** Everything a node needs before it may take traffic. */
    public List<Check> readiness() {
        return List.of(database());
    }

    /** A connection from the pool answers within a few seconds. */
    public Check database() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("product", database.product());
        database.unavailable().ifPresent(why -> data.put("error", why));
        return new Check("database", !data.containsKey("error"), data);
    }
}
