package io.granary.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.port.out.StorageUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The loop under storage trouble: it must neither spin nor stop. Bounds are loose; the old loop missed them by 100x. */
final class DuePollerTest {

    /** One item, due since long ago, until {@code done} says it was handled. */
    private static final class OneDueItem implements DuePoller.Source<String> {
        final AtomicInteger dueCalls = new AtomicInteger();
        final AtomicBoolean done = new AtomicBoolean();

        @Override
        public List<String> due(Instant now, int limit) {
            dueCalls.incrementAndGet();
            return done.get() ? List.of() : List.of("credential-1");
        }

        @Override
        public Optional<Instant> earliestDue() {
            return done.get() ? Optional.empty() : Optional.of(Instant.EPOCH);
        }
    }

    @Test
    void taskFindingStorageUnavailable_isRetriedAfterThePollInterval_notInATightLoop() throws Exception {
        OneDueItem source = new OneDueItem();
        AtomicInteger attempts = new AtomicInteger();
        AtomicBoolean diskFull = new AtomicBoolean(true);
        try (DuePoller<String> poller = new DuePoller<>("test", 4, Duration.ofMillis(300), Duration.ofSeconds(1),
                Clock.systemUTC(), source, item -> {
                    attempts.incrementAndGet();
                    if (diskFull.get()) {
                        throw new StorageUnavailableException("database unavailable (SQLITE_FULL)", null);
                    }
                    source.done.set(true);
                }, item -> item)) {
            poller.start();
            Thread.sleep(1_500);
            // One attempt per 300 ms pause: ~5. Before the fix every failure handed the item straight back: thousands.
            assertTrue(attempts.get() >= 2 && attempts.get() <= 15, "attempts while the disk was full: " + attempts.get());

            diskFull.set(false);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!source.done.get() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(source.done.get(), "the loop did not resume after the storage came back");
            assertTrue(poller.isRunning());
        }
    }

    @Test
    void dueItemAlreadyRunning_doesNotMakeTheLoopSpin() throws Exception {
        // A claim waiting out SQLite's busy timeout: the item stays due (unclaimed) while its task runs.
        OneDueItem source = new OneDueItem();
        CountDownLatch release = new CountDownLatch(1);
        try (DuePoller<String> poller = new DuePoller<>("test", 4, Duration.ofSeconds(30), Duration.ofSeconds(1),
                Clock.systemUTC(), source, item -> {
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    source.done.set(true);
                }, item -> item)) {
            poller.start();
            Thread.sleep(1_000);
            // Before: a query every 10 ms (~100) for as long as the task ran. Now: until the task finishes.
            assertTrue(source.dueCalls.get() <= 5, "due() calls while the only due item was running: " + source.dueCalls.get());
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!source.done.get() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(source.done.get());
        }
    }

    @Test
    void itemsBehindUnclaimedRunningOnes_areStillHandedOut() throws Exception {
        // Concurrency 2, "first" running but not yet claimed, so still due and listed first; one worker is free.
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch secondRan = new CountDownLatch(1);
        AtomicInteger turns = new AtomicInteger();
        DuePoller.Source<String> source = new DuePoller.Source<>() {
            @Override
            public List<String> due(Instant now, int limit) {
                List<String> all = turns.getAndIncrement() == 0 ? List.of("first") : List.of("first", "second");
                return all.subList(0, Math.min(limit, all.size()));
            }

            @Override
            public Optional<Instant> earliestDue() {
                return Optional.of(Instant.EPOCH);
            }
        };
        try (DuePoller<String> poller = new DuePoller<>("test", 2, Duration.ofSeconds(30), Duration.ofSeconds(1),
                Clock.systemUTC(), source, item -> {
                    if (item.equals("first")) {
                        try {
                            release.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    } else {
                        secondRan.countDown();
                    }
                }, item -> item)) {
            poller.start();
            // Before: asked for one item (the free worker), got "first" back, and waited for it to be claimed.
            assertTrue(secondRan.await(5, TimeUnit.SECONDS), "the item behind a running one was not handed out");
            assertEquals(1, release.getCount(), "first was still running");
            release.countDown();
        }
    }
}
