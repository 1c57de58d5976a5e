package io.granary.core.port.out;

import io.granary.core.domain.Alert;
import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialEvent;
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

    /**
     * The earliest {@code nextRefreshAt} of all credentials, so the scheduler knows how long to sleep. A leased
     * credential counts from when its lease ends: else a scheduler would wake in a loop for a refresh in progress.
     */
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
    default long saveTokens(UUID id, long expectedVersion, Map<String, String> fields, Instant accessExpiresAt,
                            List<String> scopes, Instant now) {
        return saveTokens(id, expectedVersion, fields, accessExpiresAt, scopes, now, List.of());
    }

    /**
     * Like {@link #saveTokens(UUID, long, Map, Instant, List, Instant)}, and in the same transaction appends
     * {@code events} (already redacted): the provider calls that led to these secrets. One transaction rather than
     * one per event, because a refresh storm queues on the single writer.
     *
     * @throws StaleWriteException if the version moved (then no event is stored either)
     */
    long saveTokens(UUID id, long expectedVersion, Map<String, String> fields, Instant accessExpiresAt,
                    List<String> scopes, Instant now, List<CredentialEvent> events);

    /**
     * Records how a refresh ended and releases the lease.
     *
     * @return the new version
     * @throws StaleWriteException if the version moved
     */
    default long finishRefresh(UUID id, long expectedVersion, CredentialStatus status, String statusMessage,
                               Instant nextRefreshAt, int failureCount, Instant now) {
        return finishRefresh(id, expectedVersion, status, statusMessage, nextRefreshAt, failureCount, now, null, List.of());
    }

    /**
     * Like {@link #finishRefresh(UUID, long, CredentialStatus, String, Instant, int, Instant)}, and in the same
     * transaction appends {@code events} (already redacted) and puts {@code alert} into the alert outbox with one
     * delivery per webhook of its owner subscribed to its event: the status change, the provider calls that led to it
     * and its alert are stored together or not at all.
     *
     * @param alert  the alert the change causes, or null for none
     * @param events provider calls made under this lease and not yet stored
     * @throws StaleWriteException if the version moved (then no alert and no event is stored either)
     */
    long finishRefresh(UUID id, long expectedVersion, CredentialStatus status, String statusMessage,
                       Instant nextRefreshAt, int failureCount, Instant now, Alert alert, List<CredentialEvent> events);

    /** Releases leases a previous run of this claimant left behind when it died. */
    int releaseLeases(String claimant);

    /** Count of credentials by provider id and status, for metrics. */
    Map<String, Map<CredentialStatus, Long>> countByProviderAndStatus();
}
