package io.granary.adapter.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database and its WAL and shared-memory files are readable by their owner only, whatever the umask. */
class FilePermissionsTest {

    @TempDir
    Path dir;

    @Test
    void databaseWalAndShmFilesAreCreatedOwnerOnly() throws Exception {
        Path db = dir.resolve("granary.db");
        try (SqliteStorage storage = SqliteStorage.open(db, Fixtures.sealer("k1"))) {
            Fixtures.insertUser(storage, Fixtures.insertOwner(storage)); // a write: the WAL holds data
            for (String name : new String[] {"granary.db", "granary.db-wal", "granary.db-shm"}) {
                Path file = dir.resolve(name);
                assertTrue(Files.exists(file), name + " exists while open");
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), name);
            }
        }
    }
}
