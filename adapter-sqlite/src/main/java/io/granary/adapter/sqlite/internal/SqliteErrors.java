package io.granary.adapter.sqlite.internal;

import io.granary.core.port.out.DuplicateException;
import io.granary.core.port.out.StorageUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.sqlite.SQLiteException;

/**
 * Turns SQLite failures into the ports' exceptions. Messages name the SQLite result code only: Jdbi is set up to
 * render no statement or arguments, and nothing here copies a value into a message.
 */
final class SqliteErrors {

    // Primary result codes (https://sqlite.org/rescode.html); extended codes carry them in the low byte.
    private static final int BUSY = 5;
    private static final int LOCKED = 6;
    private static final int NOMEM = 7;
    private static final int READONLY = 8;
    private static final int IOERR = 10;
    private static final int CORRUPT = 11;
    private static final int FULL = 13;
    private static final int CANTOPEN = 14;
    private static final int PROTOCOL = 15;
    private static final int CONSTRAINT = 19;
    private static final int NOTADB = 26;

    private SqliteErrors() {
    }

    /**
     * @param duplicateMessage what to say if a unique constraint refused the write; null where none is expected
     */
    static RuntimeException translate(RuntimeException failure, String duplicateMessage) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException) {
                // The pool waited too long for a connection: the database is saturated, try later.
                return new StorageUnavailableException("no database connection available in time", failure);
            }
            if (cause instanceof SQLException sql) {
                int code = sql instanceof SQLiteException lite ? lite.getResultCode().code : sql.getErrorCode();
                RuntimeException mapped = map(code, sql, failure, duplicateMessage);
                if (mapped != null) {
                    return mapped;
                }
            }
        }
        return failure;
    }

    private static RuntimeException map(int code, SQLException sql, RuntimeException failure,
                                        String duplicateMessage) {
        String message = String.valueOf(sql.getMessage());
        switch (code & 0xff) {
            case BUSY, LOCKED, NOMEM, READONLY, IOERR, CORRUPT, FULL, CANTOPEN, PROTOCOL, NOTADB:
                return new StorageUnavailableException("database unavailable (" + codeName(sql, code) + ")", failure);
            case CONSTRAINT:
                // SQLite's own text names constraint and columns, never values.
                if (message.contains("UNIQUE constraint failed") || message.contains("PRIMARY KEY")) {
                    return new DuplicateException(duplicateMessage != null ? duplicateMessage : "already exists");
                }
                if (message.contains("FOREIGN KEY constraint failed")) {
                    return new IllegalArgumentException("refers to a row that does not exist", failure);
                }
                return null;
            default:
                return null;
        }
    }

    /** The SQLite result code behind a failure, or its type: safe for a log line. */
    static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return codeName(sql, sql instanceof SQLiteException lite ? lite.getResultCode().code : sql.getErrorCode());
            }
        }
        return failure.getClass().getSimpleName();
    }

    private static String codeName(SQLException sql, int code) {
        return sql instanceof SQLiteException lite ? lite.getResultCode().name() : "SQLite code " + code;
    }
}
