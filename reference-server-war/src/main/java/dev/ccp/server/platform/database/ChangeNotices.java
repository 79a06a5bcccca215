package dev.ccp.server.platform.database;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Migration 24: on PostgreSQL, the rows that long polls wait on send a {@link Notifications} notice
 * when their mark changes, from a trigger, so that every node's waiters wake within milliseconds
 * whoever wrote the row. The notice goes out at commit, and not at all when the transaction rolls
 * back. H2 serves one node, whose own writes wake its waiters directly: nothing to do there.
 * (Version 21 was never used: this migration came after 22 and 23.)
 */
final class ChangeNotices {

    /** The watched tables and the column whose change wakes their waiters; each has an {@code id}. */
    static final Map<String, String> TABLES = Map.of("policy_heads", "etag", "runs", "seq", "run_queues", "seq");

    /** As migration 24 made it; migration 27 puts the schema first ({@link Notifications#schemaMigration}). */
    private static final String FUNCTION = function("tg_table_name || ':' || new.id");

    private ChangeNotices() {
    }

    /** The trigger function, sending {@code payload} (an SQL expression over the changed row). */
    static String function(String payload) {
        return "create or replace function ccp_change_notice() returns trigger language plpgsql as $$ begin "
                + "perform pg_notify('" + Notifications.CHANNEL + "', " + payload + "); return null; end $$";
    }

    static PostgresOnly migration() {
        return new PostgresOnly("24", "change notices", statements());
    }

    /** The function, then per table a trigger for new rows and one for updates that move the mark. */
    static List<String> statements() {
        List<String> sql = new ArrayList<>(List.of(FUNCTION));
        new TreeMap<>(TABLES).forEach((table, mark) -> {
            sql.add("create trigger " + table + "_inserted after insert on " + table + " for each row execute function ccp_change_notice()");
            sql.add("create trigger " + table + "_changed after update on " + table + " for each row when (old." + mark
                    + " is distinct from new." + mark + ") execute function ccp_change_notice()");
        });
        return sql;
    }
}
