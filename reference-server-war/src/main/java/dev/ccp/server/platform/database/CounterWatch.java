package dev.ccp.server.platform.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A {@link ChangeWatch} on rows whose {@code seq} counts their changes: a waiter holds the count it
 * has seen and is woken with the new one, then reads what it needs itself.
 */
public class CounterWatch extends ChangeWatch<CounterWatch.Head> {

    /** A row and its count. */
    public record Head(String key, long seq) {
    }

    private final String select;

    protected CounterWatch(DataSource dataSource, String table) {
        super(dataSource, table, "seq");
        this.select = "select seq from " + table + " where id = ?";
    }

    @Override
    protected final String key(Head head) {
        return head.key();
    }

    @Override
    protected final String mark(Head head) {
        return Long.toString(head.seq());
    }

    @Override
    protected final Optional<Head> head(Connection connection, String key) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(select)) {
            query.setString(1, key);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(new Head(key, rows.getLong(1))) : Optional.empty();
            }
        }
    }
}
