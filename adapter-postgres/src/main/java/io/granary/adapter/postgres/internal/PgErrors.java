package io.granary.adapter.postgres.internal;

import io.granary.core.port.out.DuplicateException;
import io.granary.core.port.out.StorageUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Turns PostgreSQL failures into the ports' exceptions by SQLSTATE
 * (https://www.postgresql.org/docs/16/errcodes-appendix.html). Messages name the SQLSTATE only: PostgreSQL's own
 * text for a unique violation quotes the duplicate key's value, which may be personal data.
 */
final class PgErrors {

    private PgErrors() {
    }

    static RuntimeException translate(RuntimeException failure, String duplicateMessage) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException) {
                // Hikari waited too long for a connection: the server is gone or saturated; try later.
                return new StorageUnavailableException("no database connection available in time", failure);
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                RuntimeException mapped = map(sql.getSQLState(), failure, duplicateMessage);
                if (mapped != null) {
                    return mapped;
                }
            }
        }
        // A SQLException without SQLSTATE comes from the driver or the pool, not from the server: a connection that
        // was cut while Jdbi set it up or reset it. Untranslated, a refresh would take it for a provider failure and
        // drop a rotated token instead of retrying its save (PostgresFaultsIT, connections cut mid-refresh).
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() == null) {
                return new StorageUnavailableException("database connection failed", failure);
            }
        }
        return failure;
    }

    private static RuntimeException map(String state, RuntimeException failure, String duplicateMessage) {
        if (state.equals("23505")) {
            return new DuplicateException(duplicateMessage != null ? duplicateMessage : "already exists");
        }
        if (state.equals("23503")) {
            return new IllegalArgumentException("refers to a row that does not exist", failure);
        }
        String sqlClass = state.substring(0, 2);
        // 08 connection exception, 53 insufficient resources, 57 operator intervention (shutdown, cannot connect
        // now), 58 system error, 40 serialization failure or deadlock (retry), XX internal error.
        if (sqlClass.equals("08") || sqlClass.equals("53") || sqlClass.equals("57") || sqlClass.equals("58")
                || sqlClass.equals("40") || sqlClass.equals("XX") || state.equals("25006")) {
            return new StorageUnavailableException("database unavailable (SQLSTATE " + state + ")", failure);
        }
        return null;
    }
}
