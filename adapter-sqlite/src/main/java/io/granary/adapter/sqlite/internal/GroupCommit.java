package io.granary.adapter.sqlite.internal;

import io.granary.core.port.out.StorageUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * the rest still commit. No caller returns before the commit holding its write succeeded; if that commit (or the
 * batch's {@code BEGIN}) fails, or SQLite abandons the transaction (a full disk, an I/O error), every write of the
 * batch gets the failure and none of them is stored. A write cannot start another from inside its callback.
 */
final class GroupCommit implements AutoCloseable {

    /** Bounds how long one batch holds SQLite's write lock (writes take ~0.1 ms each). */
    static final int MAX_BATCH = 256;

    private final Jdbi writer;
    private final BlockingQueue<Write<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final AtomicLong commits = new AtomicLong();
    private volatile boolean closed;

    GroupCommit(Jdbi writer, String threadName) {
        this.writer = writer;
        this.thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Runs {@code work} in a write transaction and waits, without giving up on an interrupt, until it is committed:
     * a caller told "interrupted" could not know whether a rotated token it handed over was stored.
     */
    <T> T run(HandleCallback<T, RuntimeException> work) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("a write cannot start another write from inside its transaction");
        }
        Write<T> write = new Write<>(work);
        queue.add(write);
        if (closed && queue.remove(write)) { // close() may have drained the queue before the add
            throw new StorageUnavailableException("database closed", null);
        }
        try {
            return write.done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
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
                // Only close() would interrupt, and it lets the queue drain first; keep going until it is empty.
            } catch (Throwable unexpected) {
                batch.forEach(w -> w.done.completeExceptionally(unexpected)); // no caller may wait for ever
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Write<?>> batch) {
        Throwable batchFailure = null;
        try {
            writer.useHandle(handle -> {
                handle.begin();
                try {
                    for (Write<?> write : batch) {
                        runInSavepoint(handle, write);
                    }
                    handle.commit();
                } catch (RuntimeException | Error e) {
                    try {
                        handle.rollback();
                    } catch (RuntimeException rollbackFailure) {
                        e.addSuppressed(rollbackFailure);
                    }
                    throw e;
                }
            });
            commits.incrementAndGet();
        } catch (RuntimeException | Error e) {
            batchFailure = e;
        }
        for (Write<?> write : batch) {
            write.finish(batchFailure);
        }
    }

    private static <T> void runInSavepoint(Handle handle, Write<T> write) {
        handle.savepoint("write");
        try {
            write.result = write.work.withHandle(handle);
        } catch (RuntimeException e) {
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

    /** Lets queued writes finish, then stops the thread. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
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
        private final CompletableFuture<T> done = new CompletableFuture<>();
        /** Set and read on the writer thread only. */
        private T result;
        private RuntimeException failure;

        Write(HandleCallback<T, RuntimeException> work) {
            this.work = work;
        }

        /** @param batchFailure why nothing of the batch was stored, or null once it is committed */
        void finish(Throwable batchFailure) {
            if (failure != null) {
                done.completeExceptionally(failure); // undone on its own, whatever happened to the rest
            } else if (batchFailure != null) {
                done.completeExceptionally(batchFailure);
            } else {
                done.complete(result);
            }
        }
    }
}
