package io.granary.adapter.postgres.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;

/**
 * What this process's own statements changed, heard with no extra round trip: in the pool's sessions the change
 * triggers (migration V003) raise a NOTICE with SQLSTATE {@value #SQLSTATE} and the change as its message
 * ({@code c:<credential id>}, {@code o:<owner id>}), which the driver hands over as a warning of the statement that
 * fired it. Changes made inside a write transaction are told once it has ended, never before: a reader told before
 * the commit could read the old row after being told, and keep it as if it were current.
 *
 * <p>Told whether the transaction committed or not: a change told that did not happen only drops an answer kept in
 * memory, and a commit whose outcome is unknown (the connection was cut during COMMIT) may have happened.
 */
final class OwnChanges implements StatementCustomizer {

    /** The NOTICE's SQLSTATE in V003's trigger function. */
    static final String SQLSTATE = "GR001";
    /**
     * Run once on every pooled connection: asks the triggers for the notices, and makes sure a role-level
     * {@code client_min_messages} above NOTICE cannot silence them.
     */
    static final String SESSION_SETUP = "SELECT set_config('granary.tell_writer', 'on', false),"
            + " set_config('client_min_messages', 'notice', false)";

    /** The changes of the write transaction running on this thread; absent outside one (auto-commit). */
    private final ThreadLocal<Set<String>> inTransaction = new ThreadLocal<>();
    private volatile Consumer<String> feed = change -> { };

    /** Where changes go from now on; until this is called they are dropped (no feed: nothing is kept anywhere). */
    void tellTo(Consumer<String> feed) {
        this.feed = feed;
    }

    /** Runs one write transaction, then tells what its statements changed. */
    <T> T around(Supplier<T> transaction) {
        Set<String> outer = inTransaction.get(); // a write opened inside another's callback runs on its own connection
        Set<String> changes = new LinkedHashSet<>();
        inTransaction.set(changes);
        try {
            return transaction.get();
        } finally {
            if (outer == null) {
                inTransaction.remove();
            } else {
                inTransaction.set(outer);
            }
            changes.forEach(feed);
        }
    }

    @Override
    public void afterExecution(PreparedStatement statement, StatementContext ctx) throws SQLException {
        for (SQLWarning warning = statement.getWarnings(); warning != null; warning = warning.getNextWarning()) {
            if (SQLSTATE.equals(warning.getSQLState())) {
                Set<String> changes = inTransaction.get();
                if (changes != null) {
                    changes.add(warning.getMessage());
                } else {
                    feed.accept(warning.getMessage()); // auto-commit: the statement has already committed
                }
            }
        }
    }
}
