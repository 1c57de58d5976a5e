package io.granary.core.service;

import io.granary.core.port.out.CredentialEventStore;
import io.granary.core.port.out.CredentialStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Keeps credentials alive: finds due credentials through the store's index and refreshes them with bounded
 * concurrency. Sleeps until the earliest due time, a poll interval, or a {@link #wake()} (a new credential).
 * Also purges events past their retention.
 */
public final class RefreshScheduler implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RefreshScheduler.class.getName());
    private static final Duration PURGE_EVERY = Duration.ofHours(1);

    private final DuePoller<UUID> poller;

    public RefreshScheduler(CredentialRefresher refresher, CredentialStore credentials, CredentialEventStore events,
                            Clock clock, int concurrency, Duration pollInterval, Duration eventRetention) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("refresh concurrency must be at least 1");
        }
        DuePoller.Source<UUID> due = new DuePoller.Source<>() {
            private Instant lastPurge = Instant.MIN;

            @Override
            public List<UUID> due(Instant now, int limit) {
                // A credential this process is refreshing for a reader is not handed out again.
                return credentials.findDue(now, limit).stream().filter(id -> !refresher.isInFlight(id)).toList();
            }

            @Override
            public Optional<Instant> earliestDue() {
                return credentials.earliestDue();
            }

            @Override
            public void housekeeping(Instant now) {
                if (lastPurge.plus(PURGE_EVERY).isBefore(now)) {
                    int purged = events.purgeOlderThan(now.minus(eventRetention));
                    if (purged > 0) {
                        LOG.log(System.Logger.Level.INFO, "purged {0} credential events older than {1}", purged, eventRetention);
                    }
                    lastPurge = now;
                }
            }
        };
        // Running refreshes write their outcome before shutdown; the lease outlasts none of them by much.
        this.poller = new DuePoller<>("granary-refresh", concurrency, pollInterval, Duration.ofSeconds(30), clock,
                due, id -> refresher.refresh(id, CredentialRefresher.Reason.DUE), id -> id);
    }

    public void start() {
        poller.start();
    }

    /** Look for due credentials now rather than at the next poll. */
    public void wake() {
        poller.wake();
    }

    /** Refreshes queued or running right now. */
    public int backlog() {
        return poller.inFlight();
    }

    /** Stops finding work and waits for running refreshes to write their results. */
    @Override
    public void close() {
        poller.close();
    }
}
