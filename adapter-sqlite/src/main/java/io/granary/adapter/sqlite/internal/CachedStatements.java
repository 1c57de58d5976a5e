package io.granary.adapter.sqlite.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilderFactory;
import org.jdbi.v3.core.statement.StatementContext;
import org.sqlite.SQLiteConnection;

/**
 * Keeps each pooled SQLite connection's prepared statements for reuse. Compiling SQL ({@code sqlite3_prepare})
 * costs more than running our indexed one-row queries (JMH, BENCHMARKS.md), and neither Jdbi, HikariCP nor
 * sqlite-jdbc caches statements. Statements are prepared on the physical connection, keyed by it and the SQL text,
 * because HikariCP hands out a new proxy per borrow and closes the proxy's statements on return.
 *
 * <p>A pooled connection is used by one thread at a time, and the pool's hand-over orders memory between them, so a
 * connection's own map needs no lock. A statement already checked out (the same SQL run again while the first is
 * still being read) gets a fresh, uncached one.
 */
final class CachedStatements implements StatementBuilderFactory {

    /** Bounds a connection's cache if some caller ever builds SQL text dynamically. */
    private static final int MAX_PER_CONNECTION = 128;

    private final Map<SQLiteConnection, Map<String, Entry>> byConnection = new ConcurrentHashMap<>();
    private final AtomicLong prepared = new AtomicLong();

    private static final class Entry {
        final PreparedStatement statement;
        boolean checkedOut;

        Entry(PreparedStatement statement) {
            this.statement = statement;
        }
    }

    @Override
    public StatementBuilder createStatementBuilder(Connection pooled) {
        return new Builder();
    }

    /** Statements compiled so far, by all connections: lets a test see that reuse happens. */
    long preparedCount() {
        return prepared.get();
    }

    private Map<String, Entry> cacheOf(SQLiteConnection physical) {
        Map<String, Entry> cache = byConnection.get(physical);
        if (cache == null) {
            // A new physical connection: forget those the pool has closed since (their statements are finalized).
            byConnection.keySet().removeIf(CachedStatements::isClosed);
            cache = new HashMap<>();
            byConnection.put(physical, cache);
        }
        return cache;
    }

    private static boolean isClosed(SQLiteConnection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** One per Jdbi handle, so one thread and one borrowed connection at a time. */
    private final class Builder extends DefaultStatementBuilder {

        // Jdbi's close() may name the statement's SQL differently from create(): find ours by identity.
        private final Map<Statement, Entry> lent = new IdentityHashMap<>();

        @Override
        public PreparedStatement create(Connection conn, String sql, StatementContext ctx) throws SQLException {
            if (ctx.isReturningGeneratedKeys() || ctx.isConcurrentUpdatable() || !conn.isWrapperFor(SQLiteConnection.class)) {
                return super.create(conn, sql, ctx);
            }
            SQLiteConnection physical = conn.unwrap(SQLiteConnection.class);
            Map<String, Entry> cache = cacheOf(physical);
            Entry entry = cache.get(sql);
            if (entry != null && (entry.checkedOut || entry.statement.isClosed())) {
                if (entry.checkedOut) {
                    return prepare(physical, sql); // closed normally when done: not in the cache
                }
                cache.remove(sql);
                entry = null;
            }
            if (entry == null) {
                if (cache.size() >= MAX_PER_CONNECTION) {
                    return prepare(physical, sql);
                }
                entry = new Entry(prepare(physical, sql));
                cache.put(sql, entry);
            }
            entry.checkedOut = true;
            lent.put(entry.statement, entry);
            return entry.statement;
        }

        private PreparedStatement prepare(SQLiteConnection physical, String sql) throws SQLException {
            prepared.incrementAndGet();
            return physical.prepareStatement(sql);
        }

        @Override
        public void close(Connection conn, String sql, Statement statement) throws SQLException {
            Entry entry = lent.remove(statement);
            if (entry == null) {
                super.close(conn, sql, statement);
                return;
            }
            try {
                // Unbind values: they may be sealed secrets. (Closing the result set already reset the statement.)
                entry.statement.clearParameters();
                entry.statement.clearBatch();
                entry.checkedOut = false;
            } catch (SQLException e) {
                entry.checkedOut = false;
                statement.close(); // the next create() sees it closed and replaces it
                throw e;
            }
        }

        /** The handle is done: statements it never gave back may hold a result open, so they are not reused. */
        @Override
        public void close(Connection conn) {
            lent.forEach((statement, entry) -> {
                entry.checkedOut = false;
                try {
                    statement.close();
                } catch (SQLException e) {
                    // Already unusable; create() replaces a closed statement either way.
                }
            });
            lent.clear();
        }
    }
}
