package io.granary.adapter.sqlite.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import io.granary.core.port.out.ChangeFeed;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
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
 *
 * <p>What changed: the first thread to see a new {@code data_version} reads the rows the {@code change_log} triggers
 * added since it last looked, on the same connection, and tells the {@link ChangeFeed.Listener}s which credentials
 * and owners changed, before any thread's stamp moves on. A gap in the log's sequence (more than its 10,000 rows
 * behind) is told as "anything may have changed".
 */
final class ChangeWatch implements AutoCloseable, ChangeFeed {

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
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** The last change_log row told to the listeners; guarded by {@code this}. -1: not read yet. */
    private long lastLogged = -1;

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

    @Override
    public void listen(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void catchUp() {
        stamp();
    }

    /**
     * The current stamp; the listeners have been told of every change it covers. Never waits for a lock: if SQLite is busy or the file cannot be read, the answer is a
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
                synchronized (this) { // one thread tells a change; the others wait, so none serves what it drops
                    tellChanges(probe);
                    stamp = generation.incrementAndGet();
                }
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
            synchronized (this) {
                lastLogged = -1; // read again from scratch, and meanwhile nothing kept is known to hold
                listeners.forEach(Listener::anythingMayHaveChanged);
                return generation.incrementAndGet();
            }
        }
    }

    /** Reads the change log since the last row told and tells the listeners; the caller holds the lock. */
    private void tellChanges(Probe probe) throws SQLException {
        if (lastLogged < 0) {
            lastLogged = probe.lastChange(); // nothing was kept before the first look, so nothing to drop
            listeners.forEach(Listener::anythingMayHaveChanged);
            return;
        }
        probe.changes.setLong(1, lastLogged);
        try (ResultSet rows = probe.changes.executeQuery()) {
            while (rows.next()) {
                long seq = rows.getLong(1);
                if (seq != lastLogged + 1) { // pruned before this process read them
                    listeners.forEach(Listener::anythingMayHaveChanged);
                }
                lastLogged = seq;
                String credential = rows.getString(2);
                String owner = rows.getString(3);
                for (Listener listener : listeners) {
                    if (credential != null) {
                        listener.credentialChanged(UUID.fromString(credential));
                    }
                    if (owner != null) {
                        listener.ownerChanged(UUID.fromString(owner));
                    }
                }
            }
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
        private final PreparedStatement changes;
        /** No value yet: the first answer counts as a change, since nothing says what happened before it. */
        private long lastSeen = Long.MIN_VALUE;

        Probe(Connection connection) throws SQLException {
            this.connection = connection;
            try {
                this.dataVersion = connection.prepareStatement("PRAGMA data_version");
                this.changes = connection.prepareStatement(
                        "SELECT seq, credential_id, owner_id FROM change_log WHERE seq > ? ORDER BY seq");
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

        /** The newest change_log row ever written (pruned or not), 0 for none. */
        long lastChange() throws SQLException {
            try (PreparedStatement last = connection.prepareStatement(
                    "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'change_log'), 0)");
                 ResultSet result = last.executeQuery()) {
                result.next();
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
