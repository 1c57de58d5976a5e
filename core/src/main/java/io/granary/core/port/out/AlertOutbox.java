package io.granary.core.port.out;

import io.granary.core.domain.FailedCall;
import io.granary.core.domain.WebhookDelivery;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The sending side of the alert outbox: one delivery row per (alert, webhook), created when the alert is written
 * (see {@link CredentialStore#finishRefresh(UUID, long, io.granary.core.domain.CredentialStatus, String, Instant, int,
 * Instant, io.granary.core.domain.Alert, List)}) and claimed with a lease, like credentials, so that processes sharing the
 * database never send one delivery at once.
 */
public interface AlertOutbox {

    /** Leases up to {@code limit} pending deliveries whose next attempt is due, soonest first. */
    List<WebhookDelivery> claimDue(Instant now, String claimant, Instant leaseUntil, int limit);

    /** @return false if the claimant no longer held the lease (nothing changed) */
    boolean markDelivered(UUID deliveryId, String claimant, Instant now);

    /**
     * Records a failed attempt and releases the lease.
     *
     * @param nextAttemptAt when to try again, or null to give up
     * @return false if the claimant no longer held the lease (nothing changed)
     */
    boolean recordFailure(UUID deliveryId, String claimant, FailedCall call, Instant nextAttemptAt);

    /** When the earliest pending delivery becomes due (counting live leases from their end). */
    Optional<Instant> earliestDue();

    /** Deliveries neither delivered nor given up. */
    long backlog();

    /** Releases leases a previous run of this claimant left behind. */
    int releaseLeases(String claimant);

    /** Deletes failed calls, and finished deliveries with their alerts, older than the cutoff. @return rows deleted */
    int purgeOlderThan(Instant cutoff);
}
