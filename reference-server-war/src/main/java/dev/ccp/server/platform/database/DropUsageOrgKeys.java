package dev.ccp.server.platform.database;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Migration 7: the usage tables no longer reference {@code orgs} by foreign key. Ingest writes
 * hundreds of rows per batch, and the key had PostgreSQL check and share-lock the org's row once per
 * row, from every exporter of the org at once: a quarter of the insert's cost. The org is checked
 * once per batch instead, in the same transaction, by locking the seat's membership row, which does
 * reference it.
 *
 * <p>Written in Java because the keys were declared without names, and H2 and PostgreSQL named
 * them differently; the database's own metadata says what they are called.
 */
public final class DropUsageOrgKeys implements JavaMigration {

    private static final List<String> TABLES = List.of("usage_rollups", "usage_bucket_sums");

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("7");
    }

    @Override
    public String getDescription() {
        return "usage tables without org foreign keys";
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        DatabaseMetaData meta = c.getMetaData();
        try (Statement s = c.createStatement()) {
            for (String table : TABLES) {
                for (String key : orgKeys(c, meta, table)) {
                    s.execute("alter table " + table + " drop constraint " + meta.getIdentifierQuoteString() + key
                            + meta.getIdentifierQuoteString());
                }
            }
        }
    }

    private static List<String> orgKeys(Connection c, DatabaseMetaData meta, String table) throws SQLException {
        List<String> keys = new ArrayList<>();
        String name = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(java.util.Locale.ROOT) : table;
        try (ResultSet rs = meta.getImportedKeys(c.getCatalog(), c.getSchema(), name)) {
            while (rs.next()) {
                if (rs.getString("PKTABLE_NAME").equalsIgnoreCase("orgs")) {
                    keys.add(rs.getString("FK_NAME"));
                }
            }
        }
        return keys;
    }
}
