package io.granary.adapter.postgres.internal;

import io.granary.core.port.out.ChangeFeed;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which credentials and owners changed, on PostgreSQL: the change triggers (migration V003) notify channel
 * {@value #CHANNEL} at each commit, and this feed hears it two ways.
 *
 * <p><b>This process's commits</b> are handed over by {@link PgDatabase} as soon as the writing transaction ends,
 * before its caller gets the result (from NOTICEs that arrive with each statement's answer; see {@link OwnChanges}).
 * So a client that writes and then reads never gets the answer kept from before its write, and no write waits for
 * anything extra.
 *
 * <p><b>Other processes' commits</b> (another instance, the {@code owners} command) arrive on one connection of its own,
 * outside the pool, that LISTENs on the channel: a daemon thread waits for notifications and queues them. PostgreSQL
 * sends them at commit, so they are told as soon as they arrive, normally within a few milliseconds. The thread
 * also asks the server a {@code SELECT 1} every {@link #PROBE_EVERY}: its answer, which PostgreSQL sends after every
 * notification already due, proves that everything committed before it was asked has been heard. If no proof is
 * younger than {@link #TRUST_FOR} (the connection broke, or hangs silently), every {@link #catchUp()} tells
 * "anything may have changed", so nothing kept is trusted, until the thread has connected again, LISTENs, and proved
 * it; a reconnection tells "anything" once more, for what was committed while nobody listened. After a failure it
 * waits {@link #RECONNECT_PAUSE} before trying again. The bound for another process's commit is therefore
 * {@link #TRUST_FOR} at worst.
 *
 * <p>{@link #catchUp()} does no I/O: when nothing was queued since the last call it reads two numbers; otherwise the
 * first caller tells the queued changes while any other waits for it (in memory, no I/O), so no caller returns before
 * what was queued before its call has been told.
 */
public final class PgChangeFeed implements ChangeFeed, AutoCloseable {

    static final String CHANNEL = "granary_changes";
    /** The listening connection's name in {@code pg_stat_activity}. */
    static final String APPLICATION_NAME = "granary-changes";
    static final Duration PROBE_EVERY = Duration.ofSeconds(1);
    /** How long after a probe was sent its answer vouches for the feed: a late probe (a stalled thread) must not lapse it. */
    static final Duration TRUST_FOR = Duration.ofSeconds(3);
    static final Duration RECONNECT_PAUSE = Duration.ofSeconds(1);
    /** A probe on a connection that hangs silently fails after this; trust has lapsed long before. */
    private static final int SOCKET_TIMEOUT_SECONDS = 10;
    private static final String ANYTHING = "*";

    private static final Logger LOG = LoggerFactory.getLogger(PgChangeFeed.class);

    private final PgDatabase db;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Queue<String> queued = new ConcurrentLinkedQueue<>();
    /** Changes ever queued; counted after each is in the queue. */
    private final AtomicLong enqueued = new AtomicLong();
    /** Changes ever told; everything counted up to it has been told. Written under {@code this}. */
    private volatile long told;
    /** Until when (System.nanoTime) the listening connection is known to have heard everything committed. */
    private volatile long trustedUntil = System.nanoTime();
    private volatile boolean closed;
    private volatile Connection listening;
    /** Set from a failure until the next connection listens: one warning per outage, not one per retry. */
    private volatile boolean down;
    private final Thread thread;

    private PgChangeFeed(PgDatabase db) {
        this.db = db;
        this.thread = new Thread(this::listenUntilClosed, "granary-pg-changes");
        thread.setDaemon(true);
    }

    /**
     * Starts listening and returns once the first connection listens (or has failed: then it is retried in the
     * background, and meanwhile every catch-up says "anything may have changed"). From now on the database hands
     * this feed the changes of this process's writes.
     */
    public static PgChangeFeed start(PgDatabase db) {
        PgChangeFeed feed = new PgChangeFeed(db);
        db.tellOwnChangesTo(feed::queue);
        try {
            feed.connect();
        } catch (SQLException | RuntimeException e) {
            feed.disconnected(e);
        }
        feed.thread.start();
        return feed;
    }

    @Override
    public void listen(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void catchUp() {
        boolean trusted = System.nanoTime() - trustedUntil < 0;
        if (trusted && told == enqueued.get()) {
            return;
        }
        synchronized (this) {
            if (!trusted) {
                listeners.forEach(Listener::anythingMayHaveChanged);
            }
            long upTo = enqueued.get(); // each counted change is already in the queue: drained below
            String change;
            while ((change = queued.poll()) != null) {
                tell(change);
            }
            told = upTo;
        }
    }

    private void tell(String change) {
        UUID id = change.length() > 2 ? parse(change.substring(2)) : null;
        for (Listener listener : listeners) {
            if (id != null && change.startsWith("c:")) {
                listener.credentialChanged(id);
            } else if (id != null && change.startsWith("o:")) {
                listener.ownerChanged(id);
            } else {
                listener.anythingMayHaveChanged(); // "*", or a kind this release does not know
            }
        }
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    void queue(String change) {
        queued.add(change);
        enqueued.incrementAndGet();
    }

    private void listenUntilClosed() {
        while (!closed) {
            try {
                if (listening == null) {
                    connect();
                }
                hear(listening);
            } catch (SQLException | RuntimeException e) {
                disconnected(e);
                pause();
            }
        }
    }

    /** Opens the listening connection, LISTENs, and proves it: from then on every commit is heard. */
    private void connect() throws SQLException {
        Connection connection = db.connectOutsideThePool(APPLICATION_NAME, SOCKET_TIMEOUT_SECONDS);
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
            }
            queue(ANYTHING); // what was committed while nobody listened is unknown
            listening = connection;
            probe(connection);
            LOG.info("{} for other instances' changes (PostgreSQL channel {})", down ? "Listening again" : "Listening", CHANNEL);
            down = false;
        } catch (SQLException | RuntimeException e) {
            listening = null;
            closeQuietly(connection);
            throw e;
        }
    }

    /** Queues what arrives, and probes every {@link #PROBE_EVERY}, until the connection fails or the feed closes. */
    private void hear(Connection connection) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        long nextProbe = System.nanoTime() + PROBE_EVERY.toNanos();
        while (!closed) {
            long wait = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextProbe - System.nanoTime()));
            queueAll(pg.getNotifications((int) Math.min(wait, PROBE_EVERY.toMillis())));
            if (System.nanoTime() - nextProbe >= 0) {
                probe(connection);
                nextProbe = System.nanoTime() + PROBE_EVERY.toNanos();
            }
        }
    }

    private void queueAll(PGNotification[] notifications) {
        if (notifications != null) {
            for (PGNotification notification : notifications) {
                if (CHANNEL.equals(notification.getName())) {
                    queue(notification.getParameter());
                }
            }
        }
    }

    /**
     * A round trip on the listening connection: its answer comes after every notification due when it was sent, so
     * once those the driver read with it are queued, everything committed before it was sent has been heard.
     */
    private void probe(Connection connection) throws SQLException {
        long sent = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        }
        queueAll(connection.unwrap(PGConnection.class).getNotifications());
        trustedUntil = sent + TRUST_FOR.toNanos();
    }

    private void disconnected(Exception e) {
        trustedUntil = System.nanoTime(); // lapsed: nothing kept is trusted until a new connection is proved
        Connection connection = listening;
        listening = null;
        if (connection != null) {
            closeQuietly(connection);
        }
        if (!closed && !down) {
            down = true;
            // The class and SQLSTATE only: a driver message may quote the server's.
            LOG.warn("Not listening for other instances' changes ({}{}); answers are not kept until it listens again",
                    e.getClass().getSimpleName(), e instanceof SQLException s && s.getSQLState() != null ? " " + s.getSQLState() : "");
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Broken already; nothing to do with it.
        }
    }

    /** Stops listening; afterwards every catch-up says "anything may have changed". */
    @Override
    public void close() {
        closed = true;
        trustedUntil = System.nanoTime();
        db.tellOwnChangesTo(change -> { });
        thread.interrupt();
        try {
            thread.join(PROBE_EVERY.toMillis() * 3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Connection connection = listening;
        if (connection != null) {
            closeQuietly(connection);
        }
    }
}
