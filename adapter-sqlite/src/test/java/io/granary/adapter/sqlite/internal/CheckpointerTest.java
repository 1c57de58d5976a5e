package io.granary.adapter.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class CheckpointerTest {

    /** SQLite's default page size plus the WAL's frame header. */
    private static final long FRAME_BYTES = 4096 + 24;
    /** Small, so that a few thousand writes cross it many times over. */
    private static final int WRITER_CHECKPOINT_PAGES = 500;

    @TempDir
    Path dir;

    private Database db;
    private Path wal;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("ckpt.db"), WRITER_CHECKPOINT_PAGES);
        wal = dir.resolve("ckpt.db-wal");
        db.write(h -> h.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void write(int i) {
        db.write(h -> h.createUpdate("INSERT INTO t (k, v) VALUES (:k, :v)").bind("k", i).bind("v", "x".repeat(300)).execute());
    }

    @Test
    void framesWrittenBelowTheWritersThreshold_areCopiedInTheBackground() throws Exception {
        for (int i = 0; i < 100; i++) {
            write(i);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (db.framesCheckpointed() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(db.framesCheckpointed() > 0, "no frames copied by the background checkpointer");
        int writerThreshold = db.write(h -> h.createQuery("PRAGMA wal_autocheckpoint").mapTo(Integer.class).one());
        assertEquals(WRITER_CHECKPOINT_PAGES, writerThreshold);
    }

    @Test
    void underSteadyWrites_theWalStaysBounded() throws IOException {
        // Each transaction appends at least the table's last leaf page; with nothing starting the WAL over this
        // would reach 6,000 frames or more (24 MB), ten times the bound asserted.
        long largest = 0;
        for (int i = 0; i < 6_000; i++) {
            write(i);
            if (i % 50 == 0 && Files.exists(wal)) {
                largest = Math.max(largest, Files.size(wal));
            }
        }
        long bound = (WRITER_CHECKPOINT_PAGES + 300) * FRAME_BYTES;
        assertTrue(largest > 0 && largest <= bound, "WAL reached " + largest + " bytes, bound " + bound);
    }
}
