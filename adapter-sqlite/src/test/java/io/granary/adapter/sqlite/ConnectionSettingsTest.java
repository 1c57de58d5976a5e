package io.granary.adapter.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.ApiOwner;
import io.granary.core.port.out.StorageUnavailableException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ConnectionSettingsTest {

    @TempDir
    Path dir;

    @Test
    void freshConnections_haveWalBusyTimeoutForeignKeysAndNormalSync() throws SQLException {
        try (SqliteStorage storage = SqliteStorage.open(dir.resolve("g.db"), Fixtures.sealer("k1"))) {
            for (boolean writer : new boolean[] {true, false}) {
                try (Connection c = storage.database().newConnection(writer)) {
                    assertEquals("wal", pragma(c, "journal_mode"));
                    assertEquals("5000", pragma(c, "busy_timeout"));
                    assertEquals("1", pragma(c, "foreign_keys"));
                    assertEquals("1", pragma(c, "synchronous")); // NORMAL
                    assertEquals("1", pragma(c, "secure_delete"));
                }
            }
        }
    }

    @Test
    void pooledConnections_haveTheSameSettings() {
        try (SqliteStorage storage = SqliteStorage.open(dir.resolve("g.db"), Fixtures.sealer("k1"))) {
            String reader = storage.database().readOne(h -> h.createQuery(
                    "SELECT (SELECT journal_mode FROM pragma_journal_mode) || ',' || (SELECT timeout FROM pragma_busy_timeout)"
                            + " || ',' || (SELECT foreign_keys FROM pragma_foreign_keys)"
                            + " || ',' || (SELECT synchronous FROM pragma_synchronous)").mapTo(String.class).one());
            String writer = storage.database().write(h -> h.createQuery(
                    "SELECT (SELECT journal_mode FROM pragma_journal_mode) || ',' || (SELECT timeout FROM pragma_busy_timeout)"
                            + " || ',' || (SELECT foreign_keys FROM pragma_foreign_keys)"
                            + " || ',' || (SELECT synchronous FROM pragma_synchronous)").mapTo(String.class).one());
            assertEquals("wal,5000,1,1", reader);
            assertEquals("wal,5000,1,1", writer);
        }
    }

    @Test
    void writeTransaction_holdsTheWriteLockFromItsStart_evenBeforeItWrites() throws SQLException {
        Path file = dir.resolve("g.db");
        try (SqliteStorage storage = SqliteStorage.open(file, Fixtures.sealer("k1"));
             Connection other = Fixtures.raw(file);
             Statement st = other.createStatement()) {
            st.execute("PRAGMA busy_timeout = 0");
            String otherWriter = storage.database().write(h -> {
                h.createQuery("SELECT count(*) FROM api_owners").mapTo(Long.class).one(); // reads only
                try {
                    st.execute("BEGIN IMMEDIATE");
                    st.execute("ROLLBACK");
                    return "got the lock";
                } catch (SQLException e) {
                    return e.getMessage();
                }
            });
            assertTrue(otherWriter.contains("SQLITE_BUSY"), otherWriter);
            // and the lock is released at commit: no transaction is left open on the pooled connection
            st.execute("BEGIN IMMEDIATE");
            st.execute("ROLLBACK");
        }
    }

    @Test
    void isHealthy_whenOpen_returnsTrue_andAfterClose_returnsFalse() {
        SqliteStorage storage = SqliteStorage.open(dir.resolve("g.db"), Fixtures.sealer("k1"));
        assertTrue(storage.isHealthy());
        storage.close();
        assertFalse(storage.isHealthy());
    }

    @Test
    void write_whenAnotherProcessHoldsTheWriteLock_throwsStorageUnavailableWithoutValues() throws SQLException {
        Path file = dir.resolve("g.db");
        try (SqliteStorage storage = SqliteStorage.open(file, Fixtures.sealer("k1"));
             Connection other = Fixtures.raw(file);
             Statement st = other.createStatement()) {
            st.execute("BEGIN EXCLUSIVE");
            ApiOwner owner = Fixtures.owner("secret-person@example.com");
            StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                    () -> storage.owners().insert(owner));
            assertTrue(e.getMessage().contains("SQLITE_BUSY"), e.getMessage());
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t.getMessage()).contains("secret-person"), "value leaked: " + t);
            }
            st.execute("ROLLBACK");
        }
    }

    private static String pragma(Connection c, String name) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            assertTrue(rs.next());
            return rs.getString(1).toLowerCase();
        }
    }
}
