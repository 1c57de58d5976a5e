package io.granary.adapter.sqlite.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The two connection pools of one SQLite file, and the only way repositories reach them.
 *
 * <p>Why two small Hikari pools rather than one, or a connection per call: opening a SQLite connection costs a
 * file open, the pragmas below and a cold page cache, far too much for the API's read path. WAL lets readers run
 * beside a writer, so reads get pooled connections, as many as the HTTP server's worker threads (Undertow's default:
 * 8 per core, at least 2 cores), up to 64. With 4, the API's readers queued for a connection and handing connections
 * over cost more CPU than the reads (bench/api-throughput.sh, BENCHMARKS.md). An idle one costs a file handle and
 * at most SQLite's 2 MB page cache;
 * while writes share one connection per process, used by one thread that commits together whatever writes queued
 * meanwhile ({@link GroupCommit}): SQLite admits one writer per file anyway, and queueing our own writers is fairer
 * and cheaper than having them sleep-poll SQLite's busy handler. Writers of other
 * processes on the same file are still arbitrated by {@code busy_timeout}. HikariCP rather than a hand-made pool:
 * it is small, well kept, and already handles timeouts, broken connections and resetting connection state.
 */
public final class Database implements AutoCloseable {

    static final int READERS = Math.min(64, 8 * Math.max(2, Runtime.getRuntime().availableProcessors()));
    static final int BUSY_TIMEOUT_MILLIS = 5_000;
    /**
     * WAL size (pages) at which a commit checkpoints on the writer itself: 12,000 pages, about 48 MB of disk. SQLite's
     * default of 1,000 had the writer checkpointing every hundred or so refreshes; the {@link Checkpointer} now copies
     * frames in the background and this only bounds the WAL (bench/refresh-storm.sh, warm: 4,000 pages 1.23-1.25x
     * ideal, 12,000 pages 1.19-1.22x).
     */
    static final int WRITER_CHECKPOINT_PAGES = 12_000;
    static final Duration CHECKPOINT_INTERVAL = Duration.ofMillis(250);

    private final SQLiteDataSource readerSource;
    private final SQLiteDataSource writerSource;
    private final HikariDataSource readerPool;
    private final HikariDataSource writerPool;
    private final Jdbi reader;
    private final Jdbi writer;
    private final CachedStatements statements = new CachedStatements();
    private final Checkpointer checkpointer;
    private final ChangeWatch changes;
    private final GroupCommit writes;
    private final WalFlush walFlush;

    private Database(Path file, int writerCheckpointPages, LongSupplier nanoTime, GroupCommit.Flush flush) {
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        readerSource = dataSource(url, SQLiteConfig.TransactionMode.DEFERRED);
        writerSource = dataSource(url, SQLiteConfig.TransactionMode.IMMEDIATE);
        // The writer pool opens first: its first connection switches the file to WAL.
        writerPool = pool(writerSource, "granary-sqlite-writer", 1, "PRAGMA wal_autocheckpoint = " + writerCheckpointPages);
        try {
            readerPool = pool(readerSource, "granary-sqlite-reader", READERS, null);
        } catch (RuntimeException e) {
            writerPool.close();
            throw e;
        }
        reader = jdbi(readerPool);
        writer = jdbi(writerPool);
        writer.setTransactionHandler(new ImmediateTransactionHandler());
        checkpointer = new Checkpointer(readerSource, CHECKPOINT_INTERVAL);
        checkpointer.start();
        changes = new ChangeWatch(probeSource(url), ChangeWatch.REUSE, nanoTime);
        walFlush = new WalFlush(Path.of(file.toAbsolutePath() + "-wal"));
        // Change stamps ask SQLite again after each of our commits, so this process's writes are seen at once.
        writes = new GroupCommit(writer, "granary-sqlite-writes", changes::committedHere, flush != null ? flush : walFlush);
    }

    public static Database open(Path file) {
        return open(file, WRITER_CHECKPOINT_PAGES);
    }

    /** @param writerCheckpointPages WAL size at which the writer checkpoints itself; tests make it small */
    static Database open(Path file, int writerCheckpointPages) {
        return open(file, writerCheckpointPages, System::nanoTime);
    }

    /** @param nanoTime the clock that ages change stamps ({@link ChangeWatch#REUSE}); tests hold it still */
    static Database open(Path file, int writerCheckpointPages, LongSupplier nanoTime) {
        return open(file, writerCheckpointPages, nanoTime, null);
    }

    /** @param flush what puts commits on disk instead of {@link WalFlush}; tests watch or break it */
    static Database open(Path file, int writerCheckpointPages, LongSupplier nanoTime, GroupCommit.Flush flush) {
        PrivateFiles.createIfMissing(file);
        try {
            return new Database(file, writerCheckpointPages, nanoTime, flush);
        } catch (RuntimeException e) {
            throw SqliteErrors.translate(e, null);
        }
    }

    private static SQLiteDataSource dataSource(String url, SQLiteConfig.TransactionMode mode) {
        SQLiteConfig config = new SQLiteConfig();
        // Applied by sqlite-jdbc to every connection it opens, so a pool's replacement connections get them too.
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.enforceForeignKeys(true);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        // Writers: IMMEDIATE, so a transaction holds the write lock from its start and never fails to upgrade.
        // (ImmediateTransactionHandler issues BEGIN IMMEDIATE itself; this covers any plain JDBC transaction.)
        config.setTransactionMode(mode);
        // Deleted and overwritten cells are zeroed: a rotated refresh token's old ciphertext does not linger in
        // free space, where a later key leak could open it.
        config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl(url);
        return source;
    }

    /**
     * Connections for {@link ChangeWatch}, opened on IO threads: no busy waiting (sqlite-jdbc's default is 3 s) and no
     * journal-mode pragma, which takes a lock; the file is already in WAL mode.
     */
    private static SQLiteDataSource probeSource(String url) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(0);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl(url);
        return source;
    }

    /** @param initSql run on each new connection of the pool, or null */
    private static HikariDataSource pool(SQLiteDataSource source, String name, int size, String initSql) {
        HikariConfig config = new HikariConfig();
        config.setConnectionInitSql(initSql);
        config.setDataSource(source);
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        // Longer than busy_timeout, so a writer queued here outlasts one SQLite-level wait before giving up.
        config.setConnectionTimeout(BUSY_TIMEOUT_MILLIS * 2L);
        // A local file has no server that drops idle connections; keeping them keeps their compiled statements.
        config.setMaxLifetime(0);
        return new HikariDataSource(config);
    }

    private Jdbi jdbi(HikariDataSource pool) {
        Jdbi jdbi = Jdbi.create(pool);
        jdbi.setStatementBuilderFactory(statements);
        // Exception messages carry no SQL and no bound values: these may be sealed secrets or personal data.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
        return jdbi;
    }

    /** A read on a pooled reader connection; several statements inside one read see one snapshot. */
    public <T> T read(HandleCallback<T, RuntimeException> work) {
        try {
            return reader.inTransaction(work);
        } catch (RuntimeException e) {
            throw SqliteErrors.translate(e, null);
        }
    }

    /** A single-statement read without transaction overhead: the hot path. */
    public <T> T readOne(HandleCallback<T, RuntimeException> work) {
        try {
            return reader.withHandle(work);
        } catch (RuntimeException e) {
            throw SqliteErrors.translate(e, null);
        }
    }

    /** One write, in an IMMEDIATE transaction shared with the writes queued beside it ({@link GroupCommit}). */
    public <T> T write(HandleCallback<T, RuntimeException> work) {
        return write(null, work);
    }

    /** {@link #write(HandleCallback)}; a unique-constraint failure becomes a DuplicateException with this message. */
    public <T> T write(String duplicateMessage, HandleCallback<T, RuntimeException> work) {
        return write(duplicateMessage, work, true);
    }

    /**
     * A write answered once committed, before it is on disk: only for one whose loss on a power cut or an OS crash
     * costs nothing but work done again (a refresh's claim, which then runs out; its outcome, which the next refresh
     * writes again). Never for one that stores a secret a provider handed out: a rotated refresh token may be the only
     * copy left.
     */
    public <T> T writeRedoable(HandleCallback<T, RuntimeException> work) {
        return write(null, work, false);
    }

    /**
     * The callback runs on the writer thread and may run twice (its first run undone; {@link GroupCommit}), so it must
     * touch nothing but the handle, and let SQL failures through.
     */
    private <T> T write(String duplicateMessage, HandleCallback<T, RuntimeException> work, boolean flushed) {
        try {
            return writes.run(work, flushed);
        } catch (RuntimeException e) {
            throw SqliteErrors.translate(e, duplicateMessage);
        }
    }

    /** An unpooled connection configured exactly like the pool's, for checks that must see a fresh connection. */
    public Connection newConnection(boolean forWriting) throws SQLException {
        return (forWriting ? writerSource : readerSource).getConnection();
    }

    /** SQL statements compiled so far; reused ones are not counted again. */
    long statementsPrepared() {
        return statements.preparedCount();
    }

    /** Jdbi on the writer connection, outside any transaction: for statements SQLite refuses inside one. */
    Jdbi writerJdbi() {
        return writer;
    }

    /** The writer thread's queue and commits, for tests. */
    GroupCommit writes() {
        return writes;
    }

    /** WAL frames copied by the background checkpointer so far. */
    long framesCheckpointed() {
        return checkpointer.framesCopied();
    }

    /**
     * Differs from every earlier answer once anything was committed since: by this process at once, by another within
     * {@link ChangeWatch#REUSE}.
     */
    public long changeStamp() {
        return changes.stamp();
    }

    /** Which credentials and owners changed, told from the change log ({@link ChangeWatch}). */
    public io.granary.core.port.out.ChangeFeed changes() {
        return changes;
    }

    @Override
    public void close() {
        writes.close();
        walFlush.close();
        changes.close();
        checkpointer.close();
        readerPool.close();
        writerPool.close();
    }
}
