package io.granary.adapter.postgres.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.function.Consumer;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;

/**
 * One HikariCP pool on the PostgreSQL database, and the only way the stores reach it. Unlike SQLite there is no
 * single writer to queue for: PostgreSQL takes row locks, so every write is its own short READ COMMITTED
 * transaction, and the conditions in its {@code WHERE} (the version read, the lease held) are re-checked by
 * PostgreSQL against the latest committed row before it updates it.
 *
 * <p>Every statement passes through {@link OwnChanges}, so what this process's writes changed reaches its
 * {@link PgChangeFeed} before their callers get the result: keep every statement on this class's methods.
 */
public final class PgDatabase implements AutoCloseable {

    /** How long a request waits for a pooled connection before it is answered 503. */
    static final long CONNECTION_TIMEOUT_MILLIS = 5_000;

    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final OwnChanges ownChanges = new OwnChanges();

    private PgDatabase(HikariDataSource pool) {
        this.pool = pool;
        this.jdbi = Jdbi.create(pool);
        // Exception messages carry no SQL and no bound values: these may be sealed secrets or personal data.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
        jdbi.addCustomizer(ownChanges);
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
        config.setConnectionInitSql(OwnChanges.SESSION_SETUP);
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
            return ownChanges.around(() -> jdbi.inTransaction(work)); // READ COMMITTED, the server's default
        } catch (RuntimeException e) {
            throw PgErrors.translate(e, duplicateMessage);
        }
    }

    /**
     * From now on, each credential or owner this process changes is handed to {@code feed} ({@code c:<id>},
     * {@code o:<id>}) once the statement or transaction that changed it has ended, before its caller gets the result.
     */
    void tellOwnChangesTo(Consumer<String> feed) {
        ownChanges.tellTo(feed);
    }

    /**
     * A connection of its own, outside the pool, to the same database as the same user (the change feed's LISTEN
     * session). Its reads wait at most {@code socketTimeoutSeconds}; it answers to {@code applicationName} in
     * {@code pg_stat_activity}.
     */
    Connection connectOutsideThePool(String applicationName, int socketTimeoutSeconds) throws SQLException {
        Properties properties = new Properties();
        if (pool.getUsername() != null) {
            properties.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            properties.setProperty("password", pool.getPassword());
        }
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", String.valueOf(socketTimeoutSeconds));
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", applicationName);
        Connection connection = new org.postgresql.Driver().connect(pool.getJdbcUrl(), properties);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL JDBC URL");
        }
        return connection;
    }

    @Override
    public void close() {
        pool.close();
    }
}
