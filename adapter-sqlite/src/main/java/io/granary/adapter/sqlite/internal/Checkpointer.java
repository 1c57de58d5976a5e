package io.granary.adapter.sqlite.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Copies WAL frames back into the database file on its own thread and connection ({@code PRAGMA
 * wal_checkpoint(PASSIVE)}, which never blocks readers or the writer).
 *
 * <p>Why: left to SQLite, the checkpoint runs inside the commit that crosses {@code wal_autocheckpoint}, on the one
 * writer connection, and every write queued behind it waits (bench/refresh-storm.sh: about half of each write
 * transaction's hold time). The writer's own checkpoint stays, at a higher threshold, as what bounds the WAL:
 * only a checkpoint that finds every frame copied lets the next writer start the WAL over, and under steady writes
 * a checkpoint on another thread rarely finds that. By then this one has copied most frames, so it is short.
 */
final class Checkpointer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Checkpointer.class.getName());

    private final DataSource database;
    private final Duration interval;
    private final Thread thread;
    private final AtomicLong framesCopied = new AtomicLong();
    private volatile boolean running = true;

    /** @param database opens its own connection to the file (one at a time; reopened after an error) */
    Checkpointer(DataSource database, Duration interval) {
        this.database = database;
        this.interval = interval;
        this.thread = new Thread(this::run, "granary-sqlite-checkpoint");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** WAL frames this checkpointer has found copied into the database file, summed over its runs (for tests). */
    long framesCopied() {
        return framesCopied.get();
    }

    private void run() {
        Connection connection = null;
        boolean failing = false;
        while (running) {
            try {
                Thread.sleep(interval.toMillis());
                if (connection == null) {
                    connection = database.getConnection();
                }
                try (Statement statement = connection.createStatement();
                     ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                    // Columns: busy, frames in the WAL, frames copied; -1 when the file is not in WAL mode.
                    if (result.next() && result.getInt(3) > 0) {
                        framesCopied.addAndGet(result.getInt(3));
                    }
                }
                if (failing) {
                    LOG.log(System.Logger.Level.INFO, "WAL checkpoints work again");
                    failing = false;
                }
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException | SQLException e) {
                // A full disk or a lock held elsewhere: the writer's own checkpoint still bounds the WAL. One line per
                // outage, naming the SQLite code only.
                if (!failing) {
                    LOG.log(System.Logger.Level.WARNING, "WAL checkpoint failed ({0}); retrying every {1} ms",
                            SqliteErrors.describe(e), interval.toMillis());
                    failing = true;
                }
                connection = closeQuietly(connection);
            }
        }
        closeQuietly(connection);
    }

    private static Connection closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing after an error: nothing more to do.
            }
        }
        return null;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
