package dev.ccp.server.runs.control;

import dev.ccp.server.platform.database.ChangeWatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The long polls on runs' events, woken when a run's event count moves on, on whichever node the
 * event was written. A woken request reads the new events itself.
 */
public final class RunWatch extends ChangeWatch<RunWatch.Head> {

    /** A run and the number of its newest event. */
    public record Head(String runId, long seq) {
    }

    public RunWatch(DataSource dataSource) {
        super(dataSource, "runs", "seq");
    }

    @Override
    protected String key(Head head) {
        return head.runId();
    }

    @Override
    protected String mark(Head head) {
        return Long.toString(head.seq());
    }

    @Override
    protected Optional<Head> head(Connection connection, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("select seq from runs where id = ?")) {
            select.setString(1, key);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(new Head(key, rows.getLong(1))) : Optional.empty();
            }
        }
    }
}
