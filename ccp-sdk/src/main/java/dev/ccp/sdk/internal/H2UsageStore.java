package dev.ccp.sdk.internal;

import dev.ccp.sdk.Sleeper;
import dev.ccp.sdk.UsageLines;
import dev.ccp.spi.store.UsageStore;
import dev.ccp.spi.usage.Outcome;
import dev.ccp.spi.usage.UsageEvent;
import dev.ccp.spi.wire.RollupRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The default {@link UsageStore}: an embedded H2 database in one file, {@value #FILE}, created on
 * first use. Each call is one transaction on a database opened for it alone ({@link H2File}), so other
 * processes on the same home get their turn.
 *
 * <p>Times are epoch milliseconds; an event's time is kept to the millisecond. Raw events carry a
 * random id when recorded and the hex SHA-256 of their canonical line when imported; every event also
 * carries that digest, so re-importing an export of this store adds nothing.
 */
public final class H2UsageStore implements UsageStore {

    public static final String FILE = "usage.mv.db";
    static final int SCHEMA_VERSION = 1;

    private static final String EVENTS = "CREATE TABLE IF NOT EXISTS usage_event (id VARCHAR(64) PRIMARY KEY, "
            + "digest BINARY(32) NOT NULL, ts BIGINT NOT NULL, model VARCHAR(64) NOT NULL, outcome VARCHAR(16) NOT NULL, "
            + "latency_ms BIGINT NOT NULL, tokens_in BIGINT NOT NULL, tokens_out BIGINT NOT NULL, offloaded BOOLEAN NOT NULL)";

    private final H2File db;
    private final Path file;

    private H2UsageStore(H2File db) {
        this.db = db;
        this.file = db.file();
    }

    /** Opens (creating when missing) the store in {@code dir}, whose path must not contain a semicolon. */
    public static H2UsageStore open(Path dir, Sleeper sleeper) throws IOException {
        Path file = dir.toAbsolutePath().normalize().resolve(FILE);
        H2File db = new H2File(file, sleeper);
        AtomicFiles.createPrivateDirectories(file.getParent());
        H2UsageStore store = new H2UsageStore(db);
        store.migrate();
        db.ownerOnly();
        return store;
    }

    public Path file() {
        return file;
    }

    @Override
    public void record(List<UsageEvent> events) throws IOException {
        db.tx(c -> {
            insert(c, events.stream().map(H2UsageStore::millis).toList(), false);
            return null;
        });
    }

    @Override
    public Imported importEvents(List<UsageEvent> events) throws IOException {
        return db.tx(c -> {
            List<UsageEvent> fresh = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            try (PreparedStatement known = c.prepareStatement("SELECT 1 FROM usage_event WHERE digest = ?")) {
                for (UsageEvent e : events) {
                    UsageEvent event = millis(e);
                    byte[] digest = digest(event);
                    known.setBytes(1, digest);
                    try (ResultSet rs = known.executeQuery()) {
                        if (seen.add(HexFormat.of().formatHex(digest)) && !rs.next()) {
                            fresh.add(event);
                        }
                    }
                }
            }
            insert(c, fresh, true);
            return new Imported(fresh.size(), events.size() - fresh.size());
        });
    }

    @Override
    public List<RollupRow> pending(Instant from, Instant to) throws IOException {
        return db.tx(c -> rollups(c, "WHERE revision > exported_revision AND hour_start >= ? AND hour_start < ? ", from, to));
    }

    @Override
    public int markExported(List<RollupRow> rows) throws IOException {
        return db.tx(c -> {
            try (PreparedStatement mark = c.prepareStatement(
                    "UPDATE usage_rollup SET exported_revision = ? WHERE hour_start = ? AND model = ? AND revision = ?")) {
                int marked = 0;
                for (RollupRow row : rows) {
                    mark.setLong(1, row.revision());
                    mark.setLong(2, row.hour().toEpochMilli());
                    mark.setString(3, row.model());
                    mark.setLong(4, row.revision());
                    marked += mark.executeUpdate();
                }
                return marked;
            }
        });
    }

    @Override
    public List<RollupRow> rollups(Instant from, Instant to) throws IOException {
        return db.tx(c -> rollups(c, "WHERE hour_start >= ? AND hour_start < ? ", from, to));
    }

    @Override
    public Totals totals(Instant from, Instant to) throws IOException {
        return db.tx(c -> {
            try (PreparedStatement sum = c.prepareStatement("SELECT COALESCE(SUM(requests), 0), COALESCE(SUM(tokens_in), 0), "
                    + "COALESCE(SUM(tokens_out), 0) FROM usage_rollup WHERE hour_start >= ? AND hour_start < ?")) {
                sum.setLong(1, from.toEpochMilli());
                sum.setLong(2, to.toEpochMilli());
                try (ResultSet rs = sum.executeQuery()) {
                    rs.next();
                    return new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3));
                }
            }
        });
    }

    @Override
    public void forEachEvent(Instant since, EventSink sink) throws IOException {
        db.tx(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT ts, model, outcome, latency_ms, tokens_in, tokens_out, "
                    + "offloaded FROM usage_event WHERE ts >= ? ORDER BY ts, id")) {
                select.setLong(1, since.toEpochMilli());
                select.setFetchSize(1000);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(new UsageEvent(Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2), Outcome.parse(rs.getString(3)),
                                rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getBoolean(7)));
                    }
                }
            }
            return null;
        });
    }

    @Override
    public Pruned prune(Instant eventsBefore, Instant rollupsBefore) throws IOException {
        return db.tx(c -> {
            try (PreparedStatement events = c.prepareStatement("DELETE FROM usage_event WHERE ts < ?");
                 PreparedStatement rollups = c.prepareStatement("DELETE FROM usage_rollup WHERE hour_start < ?")) {
                events.setLong(1, eventsBefore.toEpochMilli());
                rollups.setLong(1, rollupsBefore.toEpochMilli());
                return new Pruned(events.executeUpdate(), rollups.executeUpdate());
            }
        });
    }

    @Override
    public Status status() throws IOException {
        return db.tx(c -> {
            try (Statement s = c.createStatement()) {
                long events;
                Instant oldest;
                Instant newest;
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*), MIN(ts), MAX(ts) FROM usage_event")) {
                    rs.next();
                    events = rs.getLong(1);
                    oldest = events == 0 ? null : Instant.ofEpochMilli(rs.getLong(2));
                    newest = events == 0 ? null : Instant.ofEpochMilli(rs.getLong(3));
                }
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*), COALESCE(SUM(CASE WHEN revision > exported_revision "
                        + "THEN 1 ELSE 0 END), 0) FROM usage_rollup")) {
                    rs.next();
                    return new Status(file.toString(), Files.size(file), events, rs.getLong(1), oldest, newest, rs.getLong(2));
                }
            }
        });
    }

    /** Rewrites the file without the space deletes freed: about a second for a month of heavy use. */
    @Override
    public void compact() throws IOException {
        db.compact();
    }

    /** Nothing stays open between calls. */
    @Override
    public void close() {
    }

    private void migrate() throws IOException {
        db.tx(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL)");
                s.execute(EVENTS);
                s.execute("CREATE INDEX IF NOT EXISTS usage_event_ts ON usage_event (ts)");
                s.execute("CREATE INDEX IF NOT EXISTS usage_event_digest ON usage_event (digest)");
                s.execute(RollupTable.DDL);
                try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
                    rs.next();
                    int version = rs.getInt(1);
                    if (rs.wasNull()) {
                        s.execute("INSERT INTO schema_version VALUES (" + SCHEMA_VERSION + ")");
                    } else if (version > SCHEMA_VERSION) {
                        throw new IOException(file + " was written by a newer version (schema " + version
                                + ", this one knows " + SCHEMA_VERSION + "); upgrade, or move the file away");
                    }
                }
            }
            return null;
        });
    }

    private static void insert(Connection c, List<UsageEvent> events, boolean imported) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO usage_event (id, digest, ts, model, outcome, "
                + "latency_ms, tokens_in, tokens_out, offloaded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (UsageEvent e : events) {
                byte[] digest = digest(e);
                insert.setString(1, imported ? HexFormat.of().formatHex(digest) : UUID.randomUUID().toString());
                insert.setBytes(2, digest);
                insert.setLong(3, e.ts().toEpochMilli());
                insert.setString(4, e.model());
                insert.setString(5, e.outcome().wire());
                insert.setLong(6, e.latencyMs());
                insert.setLong(7, e.tokensIn());
                insert.setLong(8, e.tokensOut());
                insert.setBoolean(9, e.offloaded());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        RollupTable.apply(c, RollupTable.deltas(events));
    }

    private static List<RollupRow> rollups(Connection c, String where, Instant from, Instant to) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(RollupTable.SELECT + where + "ORDER BY hour_start, model")) {
            select.setLong(1, from.toEpochMilli());
            select.setLong(2, to.toEpochMilli());
            try (ResultSet rs = select.executeQuery()) {
                return RollupTable.rows(rs);
            }
        }
    }

    /** The store keeps milliseconds; digests are taken of what it keeps, so an export re-imports as equal. */
    static UsageEvent millis(UsageEvent e) {
        Instant ts = e.ts().truncatedTo(ChronoUnit.MILLIS);
        return ts.equals(e.ts()) ? e : new UsageEvent(ts, e.model(), e.outcome(), e.latencyMs(), e.tokensIn(), e.tokensOut(), e.offloaded());
    }

    static byte[] digest(UsageEvent event) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(UsageLines.format(event).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
