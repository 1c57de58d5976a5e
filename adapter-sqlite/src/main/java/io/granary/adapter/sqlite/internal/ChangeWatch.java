package io.granary.adapter.sqlite.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * Tells whether anything in the database may have changed, cheaply enough to ask on every request: a stamp that
 * differs from an earlier one whenever a commit landed in between, made by any connection of any process.
 *
 * <p>How: {@code PRAGMA data_version} on a connection changes when another connection committed since that
 * connection last asked. It costs a few microseconds (it reads the WAL index in shared memory, no table), but its
 * values are per connection, so each calling thread asks on its own connection and the first thread to see a
 * change bumps one shared generation: that generation is the stamp. Every commit is seen by each connection the
 * first time it asks afterwards, so a stamp taken after a commit always differs from any taken before it.
 *
 * <p>Asking costs a shared-memory lock and unlock (two {@code fcntl} calls) and a pass through the driver: about a
 * fifth of a cached API read's CPU when asked on every request. So one answer serves every thread for
 * {@link #REUSE} after it was asked, unless this process committed since ({@link #committedHere()}): this process's
 * own writes are seen by the next stamp, and commits of other processes (the owners command, a second instance)
 * within {@link #REUSE}.
 */
final class ChangeWatch implements AutoCloseable {

    private static final long REOPEN_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long an answer serves other requests; far shorter than another process can commit and then be heard of. */
    static final Duration REUSE = Duration.ofMillis(1);

    private final DataSource database;
    private final long reuseNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong generation = new AtomicLong();
    /** Commits made through this process's writer; a change here makes the next stamp ask SQLite. */
    private final AtomicLong localCommits = new AtomicLong();
    private volatile Asked lastAsked;
    private final ThreadLocal<Probe> probes = new ThreadLocal<>();
    private final Queue<Probe> opened = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;
    private volatile long reopenNotBefore = System.nanoTime();

    /**
     * @param database opens one connection per calling thread, kept until {@link #close()}; it must not wait for locks
     *                 (busy timeout 0): callers may be IO threads. After a failure, none is reopened for a second.
     */
    ChangeWatch(DataSource database, Duration reuse, LongSupplier nanoTime) {
        this.database = database;
        this.reuseNanos = reuse.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * Called after each transaction of this process ends, before its callers are answered (not before it commits: a
     * stamp asked in between would then be reused).
     */
    void committedHere() {
        localCommits.incrementAndGet();
    }

    /**
     * The current stamp. Never waits for a lock: if SQLite is busy or the file cannot be read, the answer is a
     * fresh stamp equal to no earlier one, which callers treat as "changed".
     */
    long stamp() {
        long now = nanoTime.getAsLong();
        long commits = localCommits.get(); // read before asking: a commit while asking makes the next stamp ask again
        Asked last = lastAsked;
        if (last != null && last.localCommits == commits && now - last.at < reuseNanos) {
            return last.stamp;
        }
        try {
            Probe probe = probe();
            long version = probe.dataVersion();
            long stamp;
            if (version != probe.lastSeen) {
                probe.lastSeen = version;
                stamp = generation.incrementAndGet();
            } else {
                stamp = generation.get();
            }
            Asked published = lastAsked;
            if (published == null || stamp > published.stamp || now - published.at > 0) { // the later-asked answer stays
                lastAsked = new Asked(now, commits, stamp);
            }
            if (closed) {
                lastAsked = null; // close() may have run after the check above
            }
            return stamp;
        } catch (SQLException | RuntimeException e) {
            lastAsked = null; // what it said is no longer known to hold
            dropProbe();
            reopenNotBefore = System.nanoTime() + REOPEN_PAUSE_NANOS;
            return generation.incrementAndGet();
        }
    }

    private Probe probe() throws SQLException {
        Probe probe = probes.get();
        if (probe == null) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            if (System.nanoTime() - reopenNotBefore < 0) {
                throw new IllegalStateException("failed recently"); // not a file open per request while it fails
            }
            probe = new Probe(database.getConnection());
            probes.set(probe);
            opened.add(probe);
            if (closed) { // close() ran meanwhile and may have missed it
                dropProbe();
                throw new IllegalStateException("closed");
            }
        }
        return probe;
    }

    private void dropProbe() {
        Probe probe = probes.get();
        if (probe != null) {
            probes.remove();
            opened.remove(probe);
            probe.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        lastAsked = null;
        Probe probe;
        while ((probe = opened.poll()) != null) {
            probe.close();
        }
    }

    /** One answer from SQLite: when it was asked, and this process's commit count at that moment. */
    private record Asked(long at, long localCommits, long stamp) {
    }

    private static final class Probe {
        private final Connection connection;
        private final PreparedStatement dataVersion;
        /** No value yet: the first answer counts as a change, since nothing says what happened before it. */
        private long lastSeen = Long.MIN_VALUE;

        Probe(Connection connection) throws SQLException {
            this.connection = connection;
            try {
                this.dataVersion = connection.prepareStatement("PRAGMA data_version");
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
        }

        long dataVersion() throws SQLException {
            // Closing the result ends the read transaction at once: an open one would pin the WAL against checkpoints.
            try (ResultSet result = dataVersion.executeQuery()) {
                if (!result.next()) {
                    throw new SQLException("PRAGMA data_version answered nothing");
                }
                return result.getLong(1);
            }
        }

        void close() {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing at shutdown or after an error: nothing left to do with it.
            }
        }
    }
}
