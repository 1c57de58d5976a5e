package io.granary.core.port.out;

import io.granary.core.domain.Alert;
import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Storage of provider credentials. Written for many Granary processes sharing one database: refreshes are
 * claimed with a lease in the database, and every write names the version it read ({@code WHERE version = ?}).
 */
public interface CredentialStore {

    /** @throws DuplicateException if the user already has a credential for this provider */
    void insert(Credential credential);

    Optional<Credential> find(UUID ownerId, UUID leafUserId, String providerId);

    Optional<Credential> findById(UUID id);

    /** Deletes the credential and its events. */
    boolean delete(UUID ownerId, UUID leafUserId, String providerId);

    /** Ids of credentials whose {@code nextRefreshAt} has passed and that nobody holds a live lease on, soonest first. */
    List<UUID> findDue(Instant now, int limit);

    /** The earliest {@code nextRefreshAt} of all credentials, so the scheduler knows how long to sleep. */
    Optional<Instant> earliestDue();

    /**
     * Takes the refresh lease if it is free or expired, bumping the version.
     *
     * @return the credential as claimed (with its new version), or empty if someone else holds the lease
     */
    Optional<Credential> claim(UUID id, String claimant, Instant now, Instant leaseUntil);

    /**
     * Stores renewed secrets in one transaction: the given fields overwrite theirs, the others stay.
     *
     * @return the new version
     * @throws StaleWriteException if the version moved (another process took the lease over)
     */
    long saveTokens(UUID id, long expectedVersion, Map<String, String> fields, Instant accessExpiresAt,
                    List<String> scopes, Instant now);

    /**
     * Records how a refresh ended and releases the lease.
     *
     * @return the new version
     * @throws StaleWriteException if the version moved
     */
    long finishRefresh(UUID id, long expectedVersion, CredentialStatus status, String statusMessage,
                       Instant nextRefreshAt, int failureCount, Instant now);

    /**
     * Like {@link #finishRefresh(UUID, long, CredentialStatus, String, Instant, int, Instant)}, and in the same
     * transaction puts {@code alert} into the alert outbox with one delivery per webhook of its owner subscribed to
     * its event: the status change and its alert are stored together or not at all.
     *
     * @param alert the alert the change causes, or null for none
     * @throws StaleWriteException if the version moved (then no alert is stored either)
     */
    default long finishRefresh(UUID id, long expectedVersion, CredentialStatus status, String statusMessage,
                               Instant nextRefreshAt, int failureCount, Instant now, Alert alert) {
        if (alert != null) {
            // Loud rather than silently dropping an alert in a store (or decorator) that does not keep an outbox.
            throw new UnsupportedOperationException(getClass().getName() + " does not store alerts");
        }
        return finishRefresh(id, expectedVersion, status, statusMessage, nextRefreshAt, failureCount, now);
    }

    /** Releases leases a previous run of this claimant left behind when it died. */
    int releaseLeases(String claimant);

    /** Count of credentials by provider id and status, for metrics. */
    Map<String, Map<CredentialStatus, Long>> countByProviderAndStatus();
}
