package io.granary.core.service;

import io.granary.core.port.out.CredentialEventStore;
import io.granary.core.port.out.CredentialStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps credentials alive: finds due credentials through the store's index and refreshes them with bounded
 * concurrency. Sleeps until the earliest due time, a poll interval, or a {@link #wake()} (a new credential).
 * Also purges events past their retention.
 */
public final class RefreshScheduler implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RefreshScheduler.class.getName());
    private static final Duration PURGE_EVERY = Duration.ofHours(1);

    private final CredentialRefresher refresher;
    private final CredentialStore credentials;
    private final CredentialEventStore events;
    private final Clock clock;
    private final int concurrency;
    private final Duration pollInterval;
    private final Duration eventRetention;
    private final ExecutorService workers;
    private final Semaphore permits;
    private final Set<UUID> queued = ConcurrentHashMap.newKeySet();
    private final Object signal = new Object();
    private final AtomicInteger backlog = new AtomicInteger();
    private volatile boolean wakeRequested;
    private volatile boolean running;
    private Thread loop;
    private Instant lastPurge = Instant.MIN;

    public RefreshScheduler(CredentialRefresher refresher, CredentialStore credentials, CredentialEventStore events,
                            Clock clock, int concurrency, Duration pollInterval, Duration eventRetention) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("refresh concurrency must be at least 1");
        }
        this.refresher = refresher;
        this.credentials = credentials;
        this.events = events;
        this.clock = clock;
        this.concurrency = concurrency;
        this.pollInterval = pollInterval;
        this.eventRetention = eventRetention;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "granary-refresh-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.permits = new Semaphore(concurrency);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        loop = new Thread(this::runLoop, "granary-refresh-scheduler");
        loop.setDaemon(true);
        loop.start();
    }

    /** Look for due credentials now rather than at the next poll. */
    public void wake() {
        synchronized (signal) {
            wakeRequested = true;
            signal.notifyAll();
        }
    }

    /** Refreshes queued or running right now. */
    public int backlog() {
        return backlog.get();
    }

    private void runLoop() {
        while (running) {
            try {
                purgeEventsIfDue();
                int submitted = submitDue();
                if (submitted == 0) {
                    sleepUntilDue();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Storage trouble (disk full, locked): keep the loop alive and try again after a pause.
                LOG.log(System.Logger.Level.WARNING, "refresh scheduler: {0}; retrying in {1} s", e.getClass().getSimpleName(), pollInterval.toSeconds());
                pause(pollInterval);
            }
        }
    }

    private int submitDue() throws InterruptedException {
        List<UUID> due = credentials.findDue(clock.instant(), concurrency * 4);
        int submitted = 0;
        for (UUID id : due) {
            if (!running) {
                break;
            }
            if (refresher.isInFlight(id) || !queued.add(id)) {
                continue;
            }
            permits.acquire();
            backlog.incrementAndGet();
            submitted++;
            workers.execute(() -> {
                try {
                    refresher.refresh(id, CredentialRefresher.Reason.DUE);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "refresh of credential {0} failed: {1}", id, e.getClass().getSimpleName());
                } finally {
                    queued.remove(id);
                    backlog.decrementAndGet();
                    permits.release();
                    wake();
                }
            });
        }
        return submitted;
    }

    private void sleepUntilDue() throws InterruptedException {
        Instant now = clock.instant();
        Instant wakeAt = now.plus(pollInterval);
        Instant earliest = credentials.earliestDue().orElse(null);
        if (earliest != null && earliest.isBefore(wakeAt)) {
            wakeAt = earliest;
        }
        long millis = Math.max(10, Duration.between(now, wakeAt).toMillis());
        synchronized (signal) {
            if (!wakeRequested && running) {
                signal.wait(millis);
            }
            wakeRequested = false;
        }
    }

    private void purgeEventsIfDue() {
        Instant now = clock.instant();
        if (lastPurge.plus(PURGE_EVERY).isBefore(now)) {
            int purged = events.purgeOlderThan(now.minus(eventRetention));
            if (purged > 0) {
                LOG.log(System.Logger.Level.INFO, "purged {0} credential events older than {1}", purged, eventRetention);
            }
            lastPurge = now;
        }
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops finding work and waits for running refreshes to write their results. */
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
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
