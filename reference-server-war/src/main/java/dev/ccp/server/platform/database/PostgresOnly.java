package dev.ccp.server.platform.database;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A migration that runs its statements on PostgreSQL and does nothing on H2, for what only matters
 * there (several nodes, large tables) or what H2 cannot say. Its checksum is that of its statements,
 * so an edited migration is caught as a SQL file's would be.
 */
final class PostgresOnly implements JavaMigration {

    private final String version;
    private final String description;
    private final List<String> statements;

    PostgresOnly(String version, String description, List<String> statements) {
        this.version = version;
        this.description = description;
        this.statements = List.copyOf(statements);
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion(version);
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public Integer getChecksum() {
        return statements.hashCode();
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
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
