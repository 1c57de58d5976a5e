package io.granary.adapter.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ChangeWatchTest {

    @TempDir
    Path dir;

    private Path file;
    private Database db;
    /** Stands still unless a test moves it, so a stamp is reused only as long as the test says. */
    private final AtomicLong nanoTime = new AtomicLong();

    @BeforeEach
    void open() {
        file = dir.resolve("watch.db");
        db = Database.open(file, Database.WRITER_CHECKPOINT_PAGES, nanoTime::get);
        db.write(h -> h.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void withoutCommits_theStampStaysTheSame() {
        long first = db.changeStamp();
        db.readOne(h -> h.createQuery("SELECT count(*) FROM t").mapTo(Integer.class).one());
        nanoTime.addAndGet(ChangeWatch.REUSE.toNanos()); // asked again, not reused
        assertEquals(first, db.changeStamp());
        nanoTime.addAndGet(ChangeWatch.REUSE.toNanos());
        assertEquals(first, db.changeStamp());
    }

    @Test
    void aCommitOfThisProcess_changesTheStamp() {
        long before = db.changeStamp();
        db.write(h -> h.execute("INSERT INTO t (k) VALUES (1)"));
        assertNotEquals(before, db.changeStamp());
    }

    @Test
    void aCommitOnAConnectionOutsideThePools_changesTheStampOnceTheLastAnswerIsOlderThanTheReuseTime() throws Exception {
        long before = db.changeStamp();
        // What another process (the owners command, a second instance) does: its own connection to the file.
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = other.createStatement()) {
            statement.execute("INSERT INTO t (k) VALUES (2)");
        }
        nanoTime.addAndGet(ChangeWatch.REUSE.toNanos() - 1);
        assertEquals(before, db.changeStamp(), "asked again within the reuse time");
        nanoTime.incrementAndGet();
        assertNotEquals(before, db.changeStamp());
    }

    @Test
    void aStampTakenOnAnotherThreadAfterACommit_differsFromOneTakenBefore() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            other.submit(db::changeStamp).get(); // that thread's connection is open before the commit
            long before = db.changeStamp();
            db.write(h -> h.execute("INSERT INTO t (k) VALUES (3)"));
            long afterOnTheOtherThread = other.submit(db::changeStamp).get();
            assertNotEquals(before, afterOnTheOtherThread);
            assertNotEquals(before, db.changeStamp());
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void askingHoldsNoReadSnapshot_soACheckpointCanCopyEverything() throws Exception {
        db.changeStamp();
        db.write(h -> h.execute("INSERT INTO t (k) VALUES (4)"));
        db.changeStamp();
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = other.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            result.next();
            assertEquals(0, result.getInt(1), "the checkpoint was blocked by a reader");
        }
    }

    @Test
    void whenTheFileCannotBeAsked_everyStampIsNew() {
        db.close(); // closes the watch's connections; asking again fails
        long first = db.changeStamp();
        assertNotEquals(first, db.changeStamp());
    }
}
