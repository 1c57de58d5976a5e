package io.granary.adapter.postgres.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;

/**
 * One HikariCP pool on the PostgreSQL database, and the only way the stores reach it. Unlike SQLite there is no
 * single writer to queue for: PostgreSQL takes row locks, so every write is its own short READ COMMITTED
 * transaction, and the conditions in its {@code WHERE} (the version read, the lease held) are re-checked by
 * PostgreSQL against the latest committed row before it updates it.
 */
public final class PgDatabase implements AutoCloseable {

    /** How long a request waits for a pooled connection before it is answered 503. */
    static final long CONNECTION_TIMEOUT_MILLIS = 5_000;

    private final HikariDataSource pool;
    private final Jdbi jdbi;

    private PgDatabase(HikariDataSource pool) {
        this.pool = pool;
        this.jdbi = Jdbi.create(pool);
        // Exception messages carry no SQL and no bound values: these may be sealed secrets or personal data.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
    }

    /**
     * Opens the pool. Fails fast if the server cannot be reached, so a wrong URL stops start-up with its reason.
     *
     * @param poolSize connections of this instance; PostgreSQL's max_connections must cover every instance's
     */
    public static PgDatabase open(String url, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("granary-postgres");
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        // A dead server or a cut connection must not hang a request (or a refresh holding a rotated token) for the
        // kernel's TCP timeout: answer 503 instead, and let the caller retry.
        config.addDataSourceProperty("connectTimeout", "5");
        config.addDataSourceProperty("socketTimeout", "30");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("ApplicationName", "granary");
        config.setInitializationFailTimeout(CONNECTION_TIMEOUT_MILLIS);
        try {
            return new PgDatabase(new HikariDataSource(config));
        } catch (RuntimeException e) {
            throw PgErrors.translate(e, null);
        }
    }

    /** Several statements in one transaction, seeing one snapshot (REPEATABLE READ, read only). */
    public <T> T read(HandleCallback<T, RuntimeException> work) {
        try {
            // In SQL, not through JDBC's setTransactionIsolation: that call runs before the transaction, on a connection
            // that may have been cut meanwhile, and Jdbi reports its failure without a SQLSTATE.
            return jdbi.inTransaction(h -> {
                h.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                return work.withHandle(h);
            });
        } catch (RuntimeException e) {
            throw PgErrors.translate(e, null);
        }
    }

    /** A single-statement read, in auto-commit: the hot path. */
    public <T> T readOne(HandleCallback<T, RuntimeException> work) {
        try {
            return jdbi.withHandle(work);
        } catch (RuntimeException e) {
            throw PgErrors.translate(e, null);
        }
    }

    /** One write transaction (READ COMMITTED). */
    public <T> T write(HandleCallback<T, RuntimeException> work) {
        return write(null, work);
    }

    /** {@link #write(HandleCallback)}; a unique-constraint failure becomes a DuplicateException with this message. */
    public <T> T write(String duplicateMessage, HandleCallback<T, RuntimeException> work) {
        try {
            return jdbi.inTransaction(work); // READ COMMITTED, the server's default
        } catch (RuntimeException e) {
            throw PgErrors.translate(e, duplicateMessage);
        }
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    @Override
    public void close() {
        pool.close();
    }
}
