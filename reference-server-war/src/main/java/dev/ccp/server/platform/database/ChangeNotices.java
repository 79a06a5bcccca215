package dev.ccp.server.platform.database;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Migration 21: on PostgreSQL, the rows that long polls wait on send a {@link Notifications} notice
 * when they change, from a trigger, so that every node's waiters wake within milliseconds whoever
 * wrote the row. The notice goes out at commit, and not at all when the transaction rolls back. H2
 * serves one node, whose own writes wake its waiters directly: nothing to do there.
 */
public final class ChangeNotices implements JavaMigration {

    /** The watched tables: each has an {@code id}, named in the notice after the table's name. */
    static final List<String> TABLES = List.of("policy_heads", "runs", "run_queues");

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("21");
    }

    @Override
    public String getDescription() {
        return "change notices";
    }

    @Override
    public Integer getChecksum() {
        return 21;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        if (!Database.postgres(context.getConnection())) {
            return;
        }
        try (Statement s = context.getConnection().createStatement()) {
            s.execute("create or replace function ccp_change_notice() returns trigger language plpgsql as $$ begin "
                    + "perform pg_notify('" + Notifications.CHANNEL + "', tg_table_name || ':' || new.id); return null; end $$");
            for (String table : TABLES) {
                s.execute("create trigger " + table + "_notice after insert or update on " + table
                        + " for each row execute function ccp_change_notice()");
            }
        }
    }
}
