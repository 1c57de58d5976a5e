package io.granary.core.service;

import io.granary.core.port.out.StorageUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One background thread that hands due work to a bounded pool of workers, and otherwise sleeps until the earliest
 * due time, the poll interval, or a {@link #wake()}. Storage trouble pauses the loop instead of ending it. Shared by
 * the refresh scheduler and the alert sender, which differ only in what is due and what one run does. A task that
 * finds storage unavailable pauses the loop too: its item is still due, and would otherwise come straight back.
 *
 * @param <T> one unit of due work (a credential id, a webhook delivery)
 */
final class DuePoller<T> implements AutoCloseable {

    /** Where due work comes from. Called on the loop thread only. */
    interface Source<T> {

        /** Work due now, at most {@code limit} items. */
        List<T> due(Instant now, int limit);

        /** When the next item falls due, so the loop knows how long it may sleep. */
        Optional<Instant> earliestDue();

        /** Periodic upkeep (purging old records), run once per loop turn; cheap when nothing is to do. */
        default void housekeeping(Instant now) {
        }
    }

    private static final System.Logger LOG = System.getLogger(DuePoller.class.getName());

    private final String name;
    private final Source<T> source;
    private final Consumer<T> task;
    private final Function<T, Object> key;
    private final Clock clock;
    private final Duration pollInterval;
    private final Duration drainTimeout;
    private final ExecutorService workers;
    private final Semaphore permits;
    private final Set<Object> queued = ConcurrentHashMap.newKeySet();
    private final Object signal = new Object();
    private volatile boolean wakeRequested;
    private volatile boolean workFinished;
    /** Set by a task that found storage unavailable; the loop backs off before handing out more. */
    private volatile StorageUnavailableException storageFailure;
    private volatile boolean running;
    private Thread loop;

    /**
     * @param key          identifies an item, so one already queued or running is not handed out twice
     * @param drainTimeout how long {@link #close()} waits for running work to finish
     */
    DuePoller(String name, int concurrency, Duration pollInterval, Duration drainTimeout, Clock clock,
              Source<T> source, Consumer<T> task, Function<T, Object> key) {
        if (concurrency < 1) {
            throw new IllegalArgumentException(name + ": concurrency must be at least 1");
        }
        this.name = name;
        this.source = source;
        this.task = task;
        this.key = key;
        this.clock = clock;
        this.pollInterval = pollInterval;
        this.drainTimeout = drainTimeout;
        this.permits = new Semaphore(concurrency);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        loop = new Thread(this::runLoop, name);
        loop.setDaemon(true);
        loop.start();
    }

    boolean isRunning() {
        return running;
    }

    /** Look for due work now rather than at the next poll. */
    void wake() {
        synchronized (signal) {
            wakeRequested = true;
            signal.notifyAll();
        }
    }

    /**
     * Workers free right now. Only the loop takes workers, so from inside {@link Source#due} this many are sure to be
     * there: a source whose {@code due} leases what it returns (the alert outbox) leases no more than that, or the
     * surplus would sit leased, unsent, until its lease ran out.
     */
    int freeWorkers() {
        return permits.availablePermits();
    }

    /** Items queued or running right now. */
    int inFlight() {
        return queued.size();
    }

    private void runLoop() {
        while (running) {
            try {
                StorageUnavailableException failed = storageFailure;
                if (failed != null) {
                    // Handing the item straight back would fail again at once (a full disk answers in microseconds):
                    // a log line and a database round per millisecond, for as long as the fault lasts.
                    storageFailure = null;
                    pause(failed);
                    continue;
                }
                source.housekeeping(clock.instant());
                int free = permits.availablePermits();
                int submitted = free == 0 ? 0 : submitDue(free);
                if (submitted <= 0) {
                    // -1: all that is due is already queued or running; its due time has passed, so waiting for it
                    // would spin until the run claims it (seconds, when a claim waits on a locked database).
                    sleep(free > 0 && submitted == 0);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Storage trouble (disk full, locked): keep the loop alive and try again after a pause.
                pause(e);
            }
        }
    }

    /** @return how many items were handed out, or -1 if everything due was already queued or running */
    private int submitDue(int free) throws InterruptedException {
        int submitted = 0;
        int alreadyQueued = 0;
        // Queued items not yet claimed are still due and come first: ask for them too, so they cannot crowd out the rest.
        for (T item : source.due(clock.instant(), free + queued.size())) {
            if (!running || submitted == free) {
                break;
            }
            Object id = key.apply(item);
            if (!queued.add(id)) {
                alreadyQueued++;
                continue;
            }
            if (!permits.tryAcquire()) {
                queued.remove(id); // only this thread takes permits, so at least `free` were there: never reached
                break;
            }
            submitted++;
            workers.execute(() -> {
                try {
                    task.accept(item);
                } catch (StorageUnavailableException e) {
                    storageFailure = e; // the loop logs it and backs off
                } catch (RuntimeException e) {
                    // The type only: messages may carry data the logs must not hold.
                    LOG.log(System.Logger.Level.WARNING, "{0}: work on {1} failed: {2}", name, id, e.getClass().getSimpleName());
                } finally {
                    queued.remove(id);
                    permits.release();
                    synchronized (signal) {
                        workFinished = true;
                        signal.notifyAll();
                    }
                }
            });
        }
        return submitted == 0 && alreadyQueued > 0 ? -1 : submitted;
    }

    /**
     * Until a wake, a finished task, the poll interval, or (when a worker is free to take it) the earliest due item.
     */
    private void sleep(boolean canTakeMore) throws InterruptedException {
        Instant now = clock.instant();
        Instant wakeAt = now.plus(pollInterval);
        if (canTakeMore) {
            Instant earliest = source.earliestDue().orElse(null);
            if (earliest != null && earliest.isBefore(wakeAt)) {
                wakeAt = earliest;
            }
        }
        long millis = Math.max(10, Duration.between(now, wakeAt).toMillis());
        synchronized (signal) {
            if (!wakeRequested && !workFinished && running) {
                signal.wait(millis);
            }
            wakeRequested = false;
            workFinished = false;
        }
    }

    /**
     * One log line, then the poll interval; only {@link #wake()} (new work, written to the same storage) or
     * {@link #close()} cuts it short, not tasks finishing.
     */
    private void pause(RuntimeException cause) {
        // A storage failure's message names the SQLite code and nothing else; other messages may carry data.
        String why = cause instanceof StorageUnavailableException ? cause.getMessage() : cause.getClass().getSimpleName();
        LOG.log(System.Logger.Level.WARNING, "{0}: {1}; retrying in {2} ms", name, why, String.valueOf(pollInterval.toMillis()));
        long deadline = System.nanoTime() + pollInterval.toNanos();
        synchronized (signal) {
            try {
                long left;
                while (running && !wakeRequested && (left = deadline - System.nanoTime()) > 0) {
                    signal.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
            wakeRequested = false;
            workFinished = false;
            // Failures of tasks that ran into the same outage while this waited; the next turn finds out afresh.
            storageFailure = null;
        }
    }

    /** Stops taking work and waits up to the drain timeout for running work to write its outcome. */
    @Override
    public void close() {
        running = false;
        wake();
        if (loop != null) {
            try {
                loop.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            loop.interrupt();
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
