package io.granary.adapter.sqlite.internal;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.transaction.TransactionException;
import org.jdbi.v3.core.transaction.TransactionHandler;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Runs {@code jdbi.inTransaction} as {@code BEGIN IMMEDIATE ... COMMIT} on a connection left in auto-commit mode.
 *
 * <p>Why not Jdbi's default (JDBC {@code setAutoCommit(false)}/{@code commit()})? sqlite-jdbc 3.47 starts the
 * next transaction inside {@code commit()} ("commit; begin immediate"), so every write takes the write lock a
 * second time, and under contention from another process {@code commit()} can wait out the busy timeout and
 * throw SQLITE_BUSY after the data was already committed: the caller would believe a saved token was lost.
 * Issuing the statements ourselves takes the write lock exactly once, up front (IMMEDIATE, so a transaction
 * that reads before it writes can never fail to upgrade its lock).
 */
final class ImmediateTransactionHandler implements TransactionHandler {

    private final Set<Handle> open = ConcurrentHashMap.newKeySet();

    @Override
    public void begin(Handle handle) {
        exec(handle, "BEGIN IMMEDIATE");
        open.add(handle);
    }

    @Override
    public void commit(Handle handle) {
        exec(handle, "COMMIT");
        open.remove(handle);
    }

    @Override
    public void rollback(Handle handle) {
        try (Statement statement = handle.getConnection().createStatement()) {
            statement.execute("ROLLBACK");
        } catch (SQLException e) {
            // Some errors (SQLITE_FULL, I/O) make SQLite roll back by itself; nothing is left to undo then.
            if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
                throw new TransactionException("rollback failed", e);
            }
        } finally {
            open.remove(handle);
        }
    }

    @Override
    public boolean isInTransaction(Handle handle) {
        return open.contains(handle);
    }

    @Override
    public void savepoint(Handle handle, String name) {
        exec(handle, "SAVEPOINT \"" + name.replace("\"", "") + "\"");
    }

    @Override
    public void rollbackToSavepoint(Handle handle, String name) {
        exec(handle, "ROLLBACK TO SAVEPOINT \"" + name.replace("\"", "") + "\"");
    }

    @Override
    public void releaseSavepoint(Handle handle, String name) {
        exec(handle, "RELEASE SAVEPOINT \"" + name.replace("\"", "") + "\"");
    }

    @Override
    public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> callback) throws X {
        if (isInTransaction(handle)) {
            return callback.withHandle(handle);
        }
        begin(handle);
        R result;
        try {
            result = callback.withHandle(handle);
        } catch (Throwable failure) {
            try {
                rollback(handle);
            } catch (RuntimeException rollbackFailure) {
                failure.addSuppressed(rollbackFailure);
            }
            throw failure;
        }
        try {
            commit(handle);
        } catch (RuntimeException commitFailure) {
            try {
                rollback(handle);
            } catch (RuntimeException rollbackFailure) {
                commitFailure.addSuppressed(rollbackFailure);
            }
            throw commitFailure;
        }
        return result;
    }

    @Override
    public <R, X extends Exception> R inTransaction(Handle handle, TransactionIsolationLevel level,
                                                    HandleCallback<R, X> callback) throws X {
        // SQLite transactions are serializable whatever is asked.
        return inTransaction(handle, callback);
    }

    private static void exec(Handle handle, String sql) {
        try (Statement statement = handle.getConnection().createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new TransactionException("transaction control failed: " + sql, e);
        }
    }
}
