package io.granary.adapter.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.port.out.StorageUnavailableException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.HandleCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
final class GroupCommitTest {

    @TempDir
    Path dir;

    private Database db;
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("writes.db"));
        db.write(h -> h.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)"));
        db.write(h -> h.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)"));
        db.write(h -> h.execute("CREATE TABLE child (id INTEGER PRIMARY KEY,"
                + " parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)"));
    }

    @AfterEach
    void close() {
        callers.shutdownNow();
        db.close();
    }

    @Test
    void aWriteThatThrows_isUndoneAlone_whileTheOthersOfItsBatchCommit() throws Exception {
        List<Future<Integer>> batch;
        long before;
        try (WriterHeld held = holdWriter()) {
            before = db.writes().commits();
            batch = queue(
                    h -> h.execute("INSERT INTO t (k) VALUES (1)"),
                    h -> {
                        h.execute("INSERT INTO t (k) VALUES (2)");
                        throw new IllegalStateException("the caller's own failure");
                    },
                    h -> h.execute("INSERT INTO t (k) VALUES (3)"));
        }
        assertEquals(1, batch.get(0).get(5, TimeUnit.SECONDS));
        Exception failure = assertThrows(Exception.class, () -> batch.get(1).get(5, TimeUnit.SECONDS));
        assertEquals("the caller's own failure", failure.getCause().getMessage());
        assertEquals(1, batch.get(2).get(5, TimeUnit.SECONDS));
        assertEquals(List.of(1, 3), keys());
        assertEquals(before + 2, db.writes().commits(), "the held write's commit, then one for the three queued");
    }

    @Test
    void eachWriteOfABatch_getsItsOwnDuplicateMessage() throws Exception {
        db.write(h -> h.execute("INSERT INTO t (k) VALUES (20), (21)"));
        List<Future<Integer>> batch = new ArrayList<>();
        try (WriterHeld held = holdWriter()) {
            batch.add(callers.submit(() -> db.write("key 20 is taken", h -> h.execute("INSERT INTO t (k) VALUES (20)"))));
            batch.add(callers.submit(() -> db.write("key 21 is taken", h -> h.execute("INSERT INTO t (k) VALUES (21)"))));
            awaitWaiting(2);
        }
        assertEquals("key 20 is taken", assertThrows(Exception.class, () -> batch.get(0).get(5, TimeUnit.SECONDS)).getCause().getMessage());
        assertEquals("key 21 is taken", assertThrows(Exception.class, () -> batch.get(1).get(5, TimeUnit.SECONDS)).getCause().getMessage());
    }

    @Test
    void writesThatQueuedMeanwhile_shareOneCommit() throws Exception {
        long before;
        List<Future<Integer>> batch;
        try (WriterHeld held = holdWriter()) {
            before = db.writes().commits();
            batch = queue(h -> h.execute("INSERT INTO t (k) VALUES (4)"), h -> h.execute("INSERT INTO t (k) VALUES (5)"),
                    h -> h.execute("INSERT INTO t (k) VALUES (6)"));
        }
        for (Future<Integer> write : batch) {
            write.get(5, TimeUnit.SECONDS);
        }
        assertEquals(before + 2, db.writes().commits(), "the held write's commit, then one for the three queued");
    }

    @Test
    void whenOneWriteMakesTheCommitFail_theOthersAreStoredAndOnlyItFails() throws Exception {
        List<Future<Integer>> batch;
        try (WriterHeld held = holdWriter()) {
            batch = queue(
                    h -> h.execute("INSERT INTO t (k) VALUES (7)"),
                    // A deferred foreign key is only checked by COMMIT, which then fails for the whole batch.
                    h -> h.execute("INSERT INTO child (id, parent) VALUES (1, 42)"),
                    h -> h.execute("INSERT INTO t (k) VALUES (8)"));
        }
        assertEquals(1, batch.get(0).get(5, TimeUnit.SECONDS));
        Exception failure = assertThrows(Exception.class, () -> batch.get(1).get(5, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, failure.getCause(), "its commit's failure, translated");
        assertEquals(1, batch.get(2).get(5, TimeUnit.SECONDS));
        assertEquals(List.of(7, 8), keys());
    }

    @Test
    void aWriteWhoseFailureEndedTheTransaction_failsAlone_andTheOthersOfItsBatchAreStored() throws Exception {
        List<Future<Integer>> batch;
        try (WriterHeld held = holdWriter()) {
            batch = queue(
                    h -> h.execute("INSERT INTO t (k) VALUES (12)"),
                    // What SQLite does on a full disk or an I/O error: it rolls the whole transaction back, then the
                    // statement throws. Its savepoint is gone with it, so the batch cannot go on.
                    h -> {
                        h.execute("INSERT INTO t (k) VALUES (13)");
                        h.execute("ROLLBACK");
                        throw new IllegalStateException("disk full");
                    },
                    h -> h.execute("INSERT INTO t (k) VALUES (14)"));
        }
        assertEquals(1, batch.get(0).get(5, TimeUnit.SECONDS), "run again in a transaction of its own");
        assertEquals("disk full", assertThrows(Exception.class, () -> batch.get(1).get(5, TimeUnit.SECONDS)).getCause().getMessage());
        assertEquals(1, batch.get(2).get(5, TimeUnit.SECONDS));
        assertEquals(List.of(12, 14), keys());
    }

    @Test
    void aWriteThatFailedOnlyBecauseOfAnUndoneOne_isNotToldOfThatFailure() throws Exception {
        List<Future<Integer>> batch;
        try (WriterHeld held = holdWriter()) {
            batch = queue(
                    // Inserts 15, and makes the commit fail: 15 is never stored.
                    h -> h.execute("INSERT INTO t (k) VALUES (15)") + h.execute("INSERT INTO child (id, parent) VALUES (2, 42)"),
                    // Refuses when 15 exists, as a version check refuses a credential an earlier write changed.
                    h -> {
                        if (h.createQuery("SELECT count(*) FROM t WHERE k = 15").mapTo(Integer.class).one() > 0) {
                            throw new IllegalStateException("stale");
                        }
                        return h.execute("INSERT INTO t (k) VALUES (16)");
                    });
        }
        assertThrows(Exception.class, () -> batch.get(0).get(5, TimeUnit.SECONDS));
        assertEquals(1, batch.get(1).get(5, TimeUnit.SECONDS), "told 'stale' of a change that was never stored");
        assertEquals(List.of(16), keys());
    }

    @Test
    void aWriteCannotStartAnotherFromInsideItsTransaction() {
        assertThrows(IllegalStateException.class, () -> db.write(h -> db.write(inner -> inner.execute("INSERT INTO t (k) VALUES (9)"))));
        assertEquals(List.of(), keys());
    }

    @Test
    void aCallerInterruptedWhileWaiting_stillWaitsForItsCommit() throws Exception {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                int inserted = db.write(h -> h.execute("INSERT INTO t (k) VALUES (10)"));
                outcome.set(Thread.interrupted() ? "stored, still interrupted: " + inserted : "interrupt lost");
            } catch (RuntimeException e) {
                outcome.set(e);
            }
        });
        try (WriterHeld held = holdWriter()) {
            caller.start();
            awaitWaiting(1);
            caller.interrupt();
            Thread.sleep(50); // an interruptible wait would end now, before the commit
        }
        caller.join(10_000);
        assertEquals("stored, still interrupted: 1", outcome.get());
        assertEquals(List.of(10), keys());
    }

    @Test
    void aWriteThatCannotStartInTime_isWithdrawn_andFailsAsStorageUnavailable() throws Exception {
        Future<Integer> late;
        try (WriterHeld held = holdWriter()) {
            late = callers.submit(() -> db.write(h -> h.execute("INSERT INTO t (k) VALUES (17)")));
            awaitWaiting(1);
            Exception failure = assertThrows(Exception.class, () -> late.get(GroupCommit.START_TIMEOUT_NANOS + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS));
            assertInstanceOf(StorageUnavailableException.class, failure.getCause());
            assertEquals(0, db.writes().waiting());
        }
        assertEquals(List.of(), keys(), "withdrawn, so never stored");
    }

    @Test
    void manyThreadsWriting_allGetTheirCommit() throws Exception {
        List<Future<?>> writers = new ArrayList<>();
        for (int thread = 0; thread < 16; thread++) {
            int first = 1_000 + thread * 100;
            writers.add(callers.submit(() -> {
                for (int k = first; k < first + 100; k++) {
                    int key = k;
                    db.write(h -> h.execute("INSERT INTO t (k) VALUES (?)", key));
                }
                return null;
            }));
        }
        long before = db.writes().commits();
        for (Future<?> writer : writers) {
            writer.get(60, TimeUnit.SECONDS);
        }
        assertEquals(1_600, keys().size());
        assertTrue(db.writes().commits() - before < 1_600, "no two writes shared a commit");
    }

    @Test
    void afterClose_aWriteFailsAsStorageUnavailable_atOnce() {
        db.close();
        StorageUnavailableException failure = assertThrows(StorageUnavailableException.class,
                () -> db.write(h -> h.execute("INSERT INTO t (k) VALUES (11)")));
        assertEquals("database closed", failure.getMessage(), "not withdrawn after waiting");
    }

    @Test
    void aWriteIsAnsweredOnlyOnceItsCommitIsOnDisk_aRedoableOneOnceCommitted() throws Exception {
        CountDownLatch flushing = new CountDownLatch(1);
        CountDownLatch diskDone = new CountDownLatch(1);
        try (Database held = Database.open(dir.resolve("flush.db"), Database.WRITER_CHECKPOINT_PAGES, System::nanoTime, () -> {
            flushing.countDown();
            awaitQuietly(diskDone);
        })) {
            held.writeRedoable(h -> h.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)")); // not held up
            Future<Integer> flushed = callers.submit(() -> held.write(h -> h.execute("INSERT INTO t (k) VALUES (30)")));
            assertTrue(flushing.await(10, TimeUnit.SECONDS));
            Thread.sleep(50);
            assertFalse(flushed.isDone(), "answered before its commit was on disk");
            int redoable = held.writeRedoable(h -> h.execute("INSERT INTO t (k) VALUES (31)"));
            assertEquals(1, redoable, "a redoable write does not wait for the flush");
            diskDone.countDown();
            assertEquals(1, flushed.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void changeStampsAreToldOfACommitBeforeItsCallerIsAnswered() throws Exception {
        CountDownLatch told = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        GroupCommit watched = new GroupCommit(db.writerJdbi(), "test-writes", () -> {
            told.countDown();
            awaitQuietly(goOn);
        }, () -> { });
        try {
            Future<Integer> write = callers.submit(() -> watched.run(h -> h.execute("INSERT INTO t (k) VALUES (40)")));
            assertTrue(told.await(10, TimeUnit.SECONDS));
            Thread.sleep(50);
            assertFalse(write.isDone(), "answered before change stamps knew of its commit");
            goOn.countDown();
            assertEquals(1, write.get(5, TimeUnit.SECONDS));
        } finally {
            goOn.countDown();
            watched.close();
        }
    }

    @Test
    void whenTheFlushFails_theWriteIsReportedAsNotOnDisk() throws Exception {
        try (Database failing = Database.open(dir.resolve("failing.db"), Database.WRITER_CHECKPOINT_PAGES, System::nanoTime, () -> {
            throw new java.io.IOException("EIO");
        })) {
            failing.writeRedoable(h -> h.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)"));
            StorageUnavailableException failure = assertThrows(StorageUnavailableException.class,
                    () -> failing.write(h -> h.execute("INSERT INTO t (k) VALUES (32)")));
            assertEquals("the write was committed, but not confirmed on disk", failure.getMessage());
        }
    }

    private List<Integer> keys() {
        return db.readOne(h -> h.createQuery("SELECT k FROM t ORDER BY k").mapTo(Integer.class).list());
    }

    @SafeVarargs
    private List<Future<Integer>> queue(HandleCallback<Integer, RuntimeException>... writes) throws InterruptedException {
        List<Future<Integer>> futures = new ArrayList<>();
        for (HandleCallback<Integer, RuntimeException> write : writes) {
            futures.add(callers.submit(() -> db.write(write)));
            awaitWaiting(futures.size()); // one at a time, so the batch keeps this order
        }
        return futures;
    }

    private void awaitWaiting(int writes) throws InterruptedException {
        while (db.writes().waiting() < writes) {
            Thread.sleep(5);
        }
    }

    /** Keeps the writer thread inside a write until closed, so that what is queued meanwhile forms one batch. */
    private WriterHeld holdWriter() throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Integer> holding = callers.submit(() -> db.write(h -> {
            inside.countDown();
            awaitQuietly(release);
            return 0;
        }));
        inside.await();
        return new WriterHeld(release, holding);
    }

    private record WriterHeld(CountDownLatch release, Future<Integer> holding) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            release.countDown();
            holding.get(5, TimeUnit.SECONDS);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertTrue(latch.await(40, TimeUnit.SECONDS), "released in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
