package io.granary.adapter.sqlite.internal;

import io.granary.core.port.out.StorageUnavailableException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Runs this process's write transactions on one thread, as many per commit as are waiting ("group commit").
 *
 * <p>Why: SQLite admits one writer at a time. With the writer connection handed from thread to thread, every
 * hand-over waited for the next thread to be scheduled, and on a busy 2-core machine that wait was longer than the
 * transaction: in a refresh storm each write waited 2-5 ms for a connection held about 0.2 ms. One thread that
 * keeps the connection never waits to be scheduled between transactions, and one commit serves every write that
 * queued meanwhile.
 *
 * <p>Each write runs inside its own savepoint, so one that throws is undone alone and gets its own exception while
 * the rest still commit. No caller returns before the commit holding its write succeeded. If the batch fails after
 * writes ran (the commit fails, SQLite abandons the transaction on a full disk or an I/O error, a write breaks it),
 * nothing of it is stored and each write runs again in a transaction of its own, so that every caller learns its own
 * write's fate, never another's: a write that failed only because of an earlier one in a batch that was then undone
 * would otherwise report a conflict that is not stored (a stale version, a duplicate). If nothing ran (the
 * {@code BEGIN} waited out another process's lock), every write of the batch gets that failure. A write that has not
 * started within {@link #START_TIMEOUT_NANOS} is withdrawn and fails as storage unavailable, as waiting for the pooled
 * connection did before; one that started is always waited for. A write cannot start another from inside its callback.
 *
 * <p>Durability: a caller is answered only once its commit is on disk (unless it asked for less: a refresh's claim
 * and outcome, which a power cut would only make run again). SQLite runs with {@code synchronous=NORMAL},
 * which in WAL mode does not flush at commit, so a power cut or an OS crash could undo commits already answered (a
 * process crash cannot: the data is in the OS). A second thread flushes the WAL file ({@link Flush}) after commits
 * and then answers their callers, one flush for every batch committed meanwhile; the writer goes on with the next
 * batch during the flush, which {@code synchronous=FULL} would not allow (it halved attach + delete throughput). If
 * the flush fails, the writes are committed but not known to be on disk, and their callers are told so.
 */
final class GroupCommit implements AutoCloseable {

    /** Bounds how long one batch holds SQLite's write lock (a refresh's writes take ~0.1 ms each). */
    static final int MAX_BATCH = 256;
    /** Longer than SQLite's busy timeout, so a write queued behind one lock wait outlasts it before giving up. */
    static final long START_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(Database.BUSY_TIMEOUT_MILLIS * 2L);

    /** Makes every commit so far durable: the WAL file's fdatasync. */
    @FunctionalInterface
    interface Flush {
        void flush() throws IOException;
    }

    private final Jdbi writer;
    private final Runnable afterEachTransaction;
    private final Flush flush;
    private final BlockingQueue<List<Write<?>>> committedUnflushed = new LinkedBlockingQueue<>();
    private final Thread flusher;
    private volatile boolean writerDone;
    // Unbounded, but each waiting write is a blocked caller thread, and those come from bounded pools.
    private final BlockingQueue<Write<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final AtomicLong commits = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param afterEachTransaction run on the writer thread when a transaction ended, committed or not, before any of
     *                             its callers is answered
     */
    GroupCommit(Jdbi writer, String threadName, Runnable afterEachTransaction, Flush flush) {
        this.writer = writer;
        this.afterEachTransaction = afterEachTransaction;
        this.flush = flush;
        this.thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        this.flusher = new Thread(this::flushLoop, threadName + "-flush");
        flusher.setDaemon(true);
        flusher.start();
        thread.start();
    }

    /**
     * Runs {@code work} in a write transaction and waits until it is committed and on disk. An interrupt does not
     * end the wait (the interrupt stays set): a caller told "interrupted" could not know whether a rotated token it
     * handed over was stored.
     */
    <T> T run(HandleCallback<T, RuntimeException> work) {
        return run(work, true);
    }

    /**
     * @param flushed whether the caller must wait until the write is on disk, or only until it is committed (enough
     *                for a write whose loss on a power cut only means work done again: see {@link Database#writeRedoable})
     */
    <T> T run(HandleCallback<T, RuntimeException> work, boolean flushed) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("a write cannot start another write from inside its transaction");
        }
        Write<T> write = new Write<>(work, flushed);
        queue.add(write);
        if (closed && queue.remove(write)) { // close() may have drained the queue before the add
            throw new StorageUnavailableException("database closed", null);
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        try {
            while (true) {
                try {
                    return write.done.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (TimeoutException e) {
                    if (queue.remove(write)) { // never started, so nothing of it can be stored
                        throw new StorageUnavailableException("the database is busy: the write did not start in time", null);
                    }
                    deadline = Long.MAX_VALUE / 2 + System.nanoTime(); // running: its outcome is coming
                } catch (ExecutionException e) {
                    throw rethrown(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static RuntimeException rethrown(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("a write failed", failure);
    }

    /** Transactions committed so far (each holding one or more writes). */
    long commits() {
        return commits.get();
    }

    /** Writes waiting for the writer thread. */
    int waiting() {
        return queue.size();
    }

    private void loop() {
        List<Write<?>> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Write<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                // Nothing interrupts this thread on purpose; it stops when closed and the queue is empty.
            } catch (Throwable unexpected) {
                batch.forEach(w -> w.done.completeExceptionally(unexpected)); // no caller may wait for ever
            } finally {
                batch.clear();
            }
        }
    }

    /** @return why nothing could start (no connection, {@code BEGIN} refused), or null once writes ran */
    private Throwable commit(List<Write<?>> batch) {
        boolean[] started = {false};
        boolean[] committed = {false};
        Throwable failure = null;
        try {
            writer.useHandle(handle -> {
                handle.begin();
                started[0] = true;
                try {
                    for (Write<?> write : batch) {
                        runInSavepoint(handle, write);
                    }
                    handle.commit();
                    committed[0] = true;
                } catch (Throwable e) {
                    try {
                        handle.rollback();
                    } catch (RuntimeException rollbackFailure) {
                        e.addSuppressed(rollbackFailure);
                    }
                    throw e;
                }
            });
        } catch (Throwable e) {
            failure = e;
        }
        afterEachTransaction.run();
        if (committed[0]) { // stored, even if returning the connection failed afterwards: never run it twice
            commits.incrementAndGet();
            List<Write<?>> toFlush = new ArrayList<>();
            for (Write<?> write : batch) {
                if (write.flushed) {
                    toFlush.add(write);
                } else {
                    write.finishCommitted();
                }
            }
            if (!toFlush.isEmpty()) {
                committedUnflushed.add(toFlush);
            }
        } else if (started[0] && batch.size() > 1) {
            Throwable notStarted = null;
            for (Write<?> write : batch) {
                if (notStarted != null) { // the database's failure, not another write's: no use waiting it out again
                    write.done.completeExceptionally(notStarted);
                    continue;
                }
                write.failure = null;
                notStarted = commit(List.of(write));
            }
        } else {
            Throwable batchFailure = failure;
            batch.forEach(write -> write.done.completeExceptionally(batchFailure));
            return started[0] ? null : failure;
        }
        return null;
    }

    private static <T> void runInSavepoint(Handle handle, Write<T> write) {
        handle.savepoint("write");
        try {
            write.result = write.work.withHandle(handle);
        } catch (Throwable e) {
            write.failure = e;
            try {
                handle.rollbackToSavepoint("write");
            } catch (RuntimeException transactionGone) {
                // SQLite already rolled back the whole transaction (SQLITE_FULL, I/O errors): nothing of it can commit.
                e.addSuppressed(transactionGone);
                throw e;
            }
        }
        handle.release("write");
    }

    private void flushLoop() {
        List<List<Write<?>>> batches = new ArrayList<>();
        while (!writerDone || !committedUnflushed.isEmpty()) {
            try {
                List<Write<?>> first = committedUnflushed.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batches.add(first);
                committedUnflushed.drainTo(batches);
                Throwable failure = null;
                try {
                    flush.flush();
                } catch (Throwable e) {
                    failure = new StorageUnavailableException("the write was committed, but not confirmed on disk", e);
                }
                for (List<Write<?>> batch : batches) {
                    for (Write<?> write : batch) {
                        if (failure == null) {
                            write.finishCommitted();
                        } else {
                            write.done.completeExceptionally(failure);
                        }
                    }
                }
            } catch (InterruptedException e) {
                // Nothing interrupts this thread on purpose; it stops once the writer is done and all is flushed.
            } catch (Throwable unexpected) {
                batches.forEach(batch -> batch.forEach(w -> w.done.completeExceptionally(unexpected)));
            } finally {
                batches.clear();
            }
        }
    }

    /** Lets queued writes finish and be flushed, then stops both threads. */
    @Override
    public void close() {
        closed = true;
        try {
            // Queued writes are bounded by START_TIMEOUT; one stuck for longer is failed below.
            thread.join(TimeUnit.SECONDS.toMillis(30));
            if (!thread.isAlive()) { // else it may still commit something, which its flusher must then answer
                writerDone = true;
                flusher.join(TimeUnit.SECONDS.toMillis(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Write<?> left;
        while ((left = queue.poll()) != null) {
            left.done.completeExceptionally(new StorageUnavailableException("database closed", null));
        }
    }

    private static final class Write<T> {
        private final HandleCallback<T, RuntimeException> work;
        private final boolean flushed;
        private final CompletableFuture<T> done = new CompletableFuture<>();
        /** Set on the writer thread; read there, or by the flusher after the hand-over through its queue. */
        private T result;
        private Throwable failure;

        Write(HandleCallback<T, RuntimeException> work, boolean flushed) {
            this.work = work;
            this.flushed = flushed;
        }

        /** Its transaction committed: what it returned, or what it threw (and was undone alone). */
        void finishCommitted() {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                done.complete(result);
            }
        }
    }
}
