package dev.ccp.server.policy.control;

import dev.ccp.server.platform.database.ChangeWatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** The long polls on policy channels, woken when a channel's head (its etag) moves on. */
public final class PolicyWatch extends ChangeWatch<PolicyWatch.Head> {

    /** The head a woken waiter gets: enough to answer without another query. */
    public record Head(String key, long version, String etag, String pack) {
    }

    public PolicyWatch(DataSource dataSource) {
        super(dataSource, "policy_heads", "etag");
    }

    /** Wakes this node's waiters on a head that was just committed here. */
    public void published(Head head) {
        changed(head);
    }

    @Override
    protected String key(Head head) {
        return head.key();
    }

    @Override
    protected String mark(Head head) {
        return head.etag();
    }

    @Override
    protected Optional<Head> head(Connection connection, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("select version, etag, pack from policy_heads where id = ?")) {
            select.setString(1, key);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(new Head(key, rows.getLong(1), rows.getString(2), rows.getString(3)))
                        : Optional.empty();
            }
        }
    }
}
