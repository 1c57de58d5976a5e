package io.granary.adapter.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class WalFlushTest {

    @TempDir
    Path dir;

    @Test
    void aMissingFileIsAFailure_notASilentSuccess() {
        try (WalFlush flush = new WalFlush(dir.resolve("gone.db-wal"))) {
            assertThrows(NoSuchFileException.class, flush::flush);
        }
    }

    @Test
    void aFileDeletedSinceTheLastFlush_failsRatherThanFlushingTheOldOne() throws IOException {
        Path wal = dir.resolve("x.db-wal");
        Files.writeString(wal, "frames");
        try (WalFlush flush = new WalFlush(wal)) {
            flush.flush();
            Files.delete(wal);
            assertThrows(NoSuchFileException.class, flush::flush, "still flushing the deleted file");
            Files.writeString(wal, "new frames");
            flush.flush(); // the new file
        }
    }
}
