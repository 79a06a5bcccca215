package dev.ccp.server.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccp.server.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Migration 7 finds the usage tables' org keys under whatever name the database gave them, and only those. */
class DropUsageOrgKeysTest {

    @Test
    void theUsageTablesLoseTheirOrgKeysAndNothingElseDoes() throws SQLException {
        TestDatabase.Location at = TestDatabase.fresh();
        try (Connection c = DriverManager.getConnection(at.url(), at.user(), at.password())) {
            Database.migrations().dataSource(at.url(), at.user(), at.password()).target("6").load().migrate();
            assertThat(referencedTables(c, "usage_rollups")).containsExactly("orgs");
            assertThat(referencedTables(c, "usage_bucket_sums")).containsExactly("orgs");

            Database.migrations().dataSource(at.url(), at.user(), at.password()).load().migrate();

            assertThat(referencedTables(c, "usage_rollups")).isEmpty();
            assertThat(referencedTables(c, "usage_bucket_sums")).isEmpty();
            assertThat(referencedTables(c, "idempotency_keys")).containsExactly("orgs");
            assertThat(referencedTables(c, "memberships")).contains("orgs");
        }
    }

    private static List<String> referencedTables(Connection c, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        List<String> tables = new ArrayList<>();
        String name = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
        try (ResultSet rs = meta.getImportedKeys(c.getCatalog(), c.getSchema(), name)) {
            while (rs.next()) {
                tables.add(rs.getString("PKTABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return tables;
    }
}
