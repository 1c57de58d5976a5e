package io.granary.adapter.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.adapter.sqlite.internal.MigrationRunner;
import io.granary.core.domain.ApiOwner;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class MigrationRunnerTest {

    @TempDir
    Path dir;

    @Test
    void open_onNewFile_appliesEveryMigration() {
        try (SqliteStorage storage = SqliteStorage.open(dir.resolve("g.db"), Fixtures.sealer("k1"))) {
            assertEquals(MigrationRunner.latestVersion(), MigrationRunner.currentVersion(storage.database()));
        }
    }

    @Test
    void open_again_isIdempotentAndKeepsData() throws SQLException {
        Path file = dir.resolve("g.db");
        ApiOwner owner = Fixtures.owner("a@example.com");
        try (SqliteStorage storage = SqliteStorage.open(file, Fixtures.sealer("k1"))) {
            storage.owners().insert(owner);
        }
        try (SqliteStorage storage = SqliteStorage.open(file, Fixtures.sealer("k1"))) {
            assertEquals(owner, storage.owners().findById(owner.id()).orElseThrow());
        }
        try (Connection c = Fixtures.raw(file); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), max(version) FROM schema_version")) {
            assertTrue(rs.next());
            assertEquals(MigrationRunner.latestVersion(), rs.getInt(1));
            assertEquals(MigrationRunner.latestVersion(), rs.getInt(2));
        }
    }

    @Test
    void open_whenSchemaIsNewerThanCode_refuses() throws SQLException {
        Path file = dir.resolve("g.db");
        SqliteStorage.open(file, Fixtures.sealer("k1")).close();
        try (Connection c = Fixtures.raw(file); Statement st = c.createStatement()) {
            st.execute("INSERT INTO schema_version (version, name, applied_at) VALUES (99, 'V099__future.sql', 0)");
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SqliteStorage.open(file, Fixtures.sealer("k1")));
        assertTrue(e.getMessage().contains("99"), e.getMessage());
    }
}
