package dev.ccp.sdk.internal;

import dev.ccp.sdk.Sleeper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.api.ErrorCode;

/**
 * One embedded H2 database file, opened for each unit of work and closed after it. Embedded H2 locks
 * its file for as long as it is open, so holding it open would shut out every other process on the
 * same home (the CLI while a tool records); opened per call, the file is locked for milliseconds, and a
 * call that finds it in use waits (50 ms doubling to 1 s) and tries again for up to {@link #MAX_LOCK_WAIT}.
 * Calls on the same file from one JVM take turns on a lock of their own, which also keeps two writers
 * of this JVM from racing on the same rows.
 */
final class H2File {

    /** How long a call waits for another process to let go of the file before it gives up. */
    static final Duration MAX_LOCK_WAIT = Duration.ofSeconds(10);

    private static final Driver DRIVER = new org.h2.Driver();
    private static final ConcurrentMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    /** A unit of work in one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException, IOException;
    }

    private final Path file;
    private final String url;
    private final Sleeper sleeper;
    private final ReentrantLock lock;

    /** @param file ends in {@code .mv.db}; its path must not contain a semicolon (H2 reads it as a setting) */
    H2File(Path file, Sleeper sleeper) throws IOException {
        String path = file.toString();
        if (!path.endsWith(".mv.db") || path.contains(";")) {
            throw new IOException("an H2 file ends in .mv.db and its path has no ';': " + file);
        }
        this.file = file;
        // Compacting on every close would cost tens of milliseconds per write; freed space is reused
        // anyway, and compact() rewrites the file whole when asked.
        this.url = "jdbc:h2:file:" + path.substring(0, path.length() - ".mv.db".length()) + ";TRACE_LEVEL_FILE=0;MAX_COMPACT_TIME=0";
        this.sleeper = sleeper;
        this.lock = LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
    }

    Path file() {
        return file;
    }

    /** Runs the work in one transaction: committed when it returns, rolled back when it throws. */
    <T> T tx(Work<T> work) throws IOException {
        lock.lock();
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure(e);
        } finally {
            lock.unlock();
        }
    }

    /** Rewrites the file without the space deletes freed. */
    void compact() throws IOException {
        lock.lock();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN COMPACT");
        } catch (SQLException e) {
            throw failure(e);
        } finally {
            lock.unlock();
        }
    }

    /** Usage is personal: the file is the owner's alone, where the file system can say so. */
    void ownerOnly() throws IOException {
        if (Files.exists(file) && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private Connection connect() throws SQLException, IOException {
        Properties credentials = new Properties();
        credentials.setProperty("user", "sa");
        credentials.setProperty("password", "");
        Duration waited = Duration.ZERO;
        Duration pause = Duration.ofMillis(50);
        while (true) {
            try {
                return DRIVER.connect(url, credentials);
            } catch (SQLException e) {
                if (e.getErrorCode() != ErrorCode.DATABASE_ALREADY_OPEN_1) {
                    throw e;
                }
                if (waited.compareTo(MAX_LOCK_WAIT) >= 0) {
                    throw new IOException("the usage store " + file + " stayed in use by another process for "
                            + MAX_LOCK_WAIT.toSeconds() + " s; try again", e);
                }
            }
            try {
                sleeper.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the usage store");
            }
            waited = waited.plus(pause);
            pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : pause.multipliedBy(2);
        }
    }

    private IOException failure(SQLException e) {
        return new IOException("usage store " + file + ": " + e.getMessage().lines().findFirst().orElse(""), e);
    }
}
